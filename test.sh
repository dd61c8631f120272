#!/usr/bin/env bash
# Runs the whole pmemfs test suite with JDK 25 (extra arguments go to Maven, e.g. -Dtest=PoisonMapTest).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/scripts/jdk.sh"
pmemfs_find_jdk
pmemfs_need_maven
cd "$here"
# Tests that run the launcher must not start its background AOT-cache training (no process outlives a test).
export PMEMFS_AOT=0
exec mvn -B test "$@"
