package dev.pmemfs.cli.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class GetoptTest {
    @Test
    void parse_clustersArgumentsAndPermutation() {
        StringWriter err = new StringWriter();
        Getopt.Parsed p = Getopt.parse(List.of("pwrite", "-qS0x41", "0", "4k", "-b", "512"), "b:qS:",
                new PrintWriter(err, true));
        assertEquals(List.of(new Getopt.Opt('q', null), new Getopt.Opt('S', "0x41"), new Getopt.Opt('b', "512")),
                p.opts());
        assertEquals(List.of("0", "4k"), p.operands());
        assertEquals("", err.toString());
    }

    @Test
    void parse_badOption_printsGlibcMessage() {
        StringWriter err = new StringWriter();
        assertNull(Getopt.parse(List.of("falloc", "-z", "0", "1"), "cikpu", new PrintWriter(err, true)));
        assertEquals("falloc: invalid option -- 'z'\n", err.toString());
        StringWriter err2 = new StringWriter();
        assertNull(Getopt.parse(List.of("pread", "-1", "1"), "b:qv", new PrintWriter(err2, true)));
        assertEquals("pread: invalid option -- '1'\n", err2.toString());
    }

    @Test
    void parse_missingArgument_printsGlibcMessage() {
        StringWriter err = new StringWriter();
        assertNull(Getopt.parse(List.of("pwrite", "0", "1", "-S"), "b:qS:", new PrintWriter(err, true)));
        assertEquals("pwrite: option requires an argument -- 'S'\n", err.toString());
    }
}
