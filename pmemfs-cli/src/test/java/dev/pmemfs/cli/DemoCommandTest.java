package dev.pmemfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The demo is also the end-to-end smoke test: every step checks itself, so exit 0 means the story held. */
class DemoCommandTest {
    @Test
    void demo_tellsTheWholeStory_andExitsZero() throws Exception {
        InProcess.Result r = InProcess.run("demo");
        assertEquals(0, r.exit(), r.out() + "\n" + r.err());
        String text = r.out();
        assertTrue(text.contains("pread: Input/output error"), text);
        assertTrue(text.contains("file /db offset 8192 length 4096"), text);
        assertTrue(text.contains("with punch-pwrite: remapped"), text);
        assertTrue(text.contains("Permission denied"), text);
        assertTrue(text.contains("FIEMAP is identical before and after"), text);
        assertTrue(text.contains("with recovery-write: repaired in place"), text);
        assertTrue(!text.contains("(home kept at"), "the temporary home is removed");
        if (dev.pmemfs.mount.FuseMount.unavailable().isEmpty()) {
            assertTrue(text.contains("dd: error reading 'mnt/app.dat': Input/output error"), text);
            assertTrue(text.contains("100+0 records in"), text);
        } else {
            assertTrue(text.contains("(skipped: "), text);
        }
        assertTrue(!java.nio.file.Files.readString(java.nio.file.Path.of("/proc/mounts")).contains("pmemfs-demo-"),
                "the demo left a mount behind");
    }
}
