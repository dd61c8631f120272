/**
 * {@code pmemfs badblocks} (which files a media error hit) and {@code pmemfs recover} (repair them with
 * a chosen design), over {@link dev.pmemfs.recovery}.
 */
package dev.pmemfs.cli.recover;
