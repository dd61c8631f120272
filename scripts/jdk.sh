# Sourced by ./pmemfs and ./test.sh: finds a JDK 25 (the default java here is 17) and exports JAVA_HOME.
pmemfs_find_jdk() {
  local want=25 cand v
  for cand in "${PMEMFS_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*-2[5-9]* /usr/lib/jvm/*2[5-9]*; do
    [ -n "$cand" ] && [ -x "$cand/bin/javac" ] || continue
    # The JDK's release file names its version: reading it costs nothing, starting the JVM to ask
    # would cost a second JVM start-up on every command.
    v=""
    if [ -r "$cand/release" ]; then
      local line
      while IFS= read -r line; do
        case "$line" in JAVA_VERSION=\"*) v=${line#JAVA_VERSION=\"}; v=${v%%[!0-9]*}; break ;; esac
      done < "$cand/release"
    fi
    if [ -z "$v" ]; then
      v=$("$cand/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    fi
    if [ -n "$v" ] && [ "${v%%.*}" -ge "$want" ] 2>/dev/null; then
      export JAVA_HOME="$cand"
      return 0
    fi
  done
  echo "pmemfs: no JDK $want or newer found (looked at \$PMEMFS_JAVA_HOME, \$JAVA_HOME and /usr/lib/jvm); install Temurin 25 or set PMEMFS_JAVA_HOME" >&2
  return 1
}
pmemfs_need_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  echo "pmemfs: Maven (mvn) is not installed; run 'apt-get install -y maven' (as root) and try again" >&2
  return 1
}
