package dev.pmemfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import picocli.CommandLine;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The demo is also the end-to-end smoke test: every step checks itself, so exit 0 means the story held. */
class DemoCommandTest {
    @Test
    void demo_tellsTheWholeStory_andExitsZero() {
        CommandLine cl = PmemfsCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("demo");
        assertEquals(0, exit, out + "\n" + err);
        String text = out.toString();
        assertTrue(text.contains("pread: Input/output error"), text);
        assertTrue(text.contains("file /db offset 8192 length 4096"), text);
        assertTrue(text.contains("with punch-pwrite: remapped"), text);
        assertTrue(text.contains("Permission denied"), text);
        assertTrue(text.contains("FIEMAP is identical before and after"), text);
        assertTrue(text.contains("with recovery-write: repaired in place"), text);
        assertTrue(!text.contains("(home kept at"), "the temporary home is removed");
    }
}
