package dev.pmemfs.mount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's mount table as {@code /proc/self/mountinfo} shows it (proc(5)), and the two ways out
 * of a FUSE mount: {@code fusermount3 -u} (umount2 for the mount's owner, what {@code umount} does)
 * and aborting the connection through {@code /sys/fs/fuse/connections/N/abort}.
 */
public final class MountTable {
    private MountTable() {}

    /** The file system type pmemfs mounts show ("fuse." + subtype). */
    public static final String FSTYPE = "fuse.pmemfs";

    /** One line of mountinfo: where, what type, from what source, and the device minor (the FUSE connection). */
    public record Entry(Path mountPoint, String fsType, String source, int minor) {}

    /** Every mount, in mountinfo order. */
    public static List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            // 36 35 0:52 / /mnt/x rw,nosuid - fuse.pmemfs pmemfs:namespace0.0 rw,user_id=0,...
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 7 || dash < 0 || dash + 2 >= f.length) {
                continue;
            }
            String[] dev = f[2].split(":");
            out.add(new Entry(Path.of(unescape(f[4])), f[dash + 1], unescape(f[dash + 2]), Integer.parseInt(dev[1])));
        }
        return out;
    }

    /** The pmemfs mount at {@code mountPoint} (the last one, if stacked). */
    public static Optional<Entry> pmemfsAt(Path mountPoint) throws IOException {
        Path want = mountPoint.toAbsolutePath().normalize();
        Entry found = null;
        for (Entry e : entries()) {
            if (e.mountPoint().equals(want) && e.fsType().equals(FSTYPE)) {
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Any mount at {@code mountPoint}. */
    public static Optional<Entry> anyAt(Path mountPoint) throws IOException {
        Path want = mountPoint.toAbsolutePath().normalize();
        Entry found = null;
        for (Entry e : entries()) {
            if (e.mountPoint().equals(want)) {
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether the mount point answers ENOTCONN: its FUSE server is gone (killed, crashed). */
    public static boolean disconnected(Path mountPoint) {
        try {
            Files.readAttributes(mountPoint, "unix:ino");
            return false;
        } catch (FileSystemException e) {
            return e.getReason() != null && e.getReason().contains("Transport endpoint is not connected");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Unmounts with {@code fusermount3 -u} ({@code -z}: lazily, detaching it even while busy). Returns
     * empty on success, else fusermount3's message.
     */
    public static Optional<String> unmount(Path mountPoint, boolean lazy) {
        List<String> cmd = new ArrayList<>(List.of("fusermount3", "-u"));
        if (lazy) {
            cmd.add("-z");
        }
        cmd.add(mountPoint.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of("fusermount3 did not finish in 30 s");
            }
            return p.exitValue() == 0 ? Optional.empty() : Optional.of(out.isEmpty() ? "fusermount3 failed" : out);
        } catch (IOException e) {
            return Optional.of("cannot run fusermount3: " + e.getMessage() + " (install the Debian package fuse3)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** Aborts FUSE connection {@code minor} (root only): every pending and future request fails with ENOTCONN. */
    public static boolean abort(int minor) {
        Path abort = Path.of("/sys/fs/fuse/connections/" + minor + "/abort");
        try {
            Files.writeString(abort, "1");
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
