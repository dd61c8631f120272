package dev.pmemfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pmemfs.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NdctlCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static List<String> keys(JsonNode o) {
        List<String> k = new ArrayList<>();
        o.fieldNames().forEachRemaining(k::add);
        return k;
    }

    /** A bad command: one line on stderr, non-zero exit, no stack trace, and the home unchanged. */
    private void assertRefused(String expectInMessage, String... args) throws Exception {
        Map<Path, Long> before = snapshot();
        Cli.Result r = cli.run(args);
        assertNotEquals(0, r.exit(), "exit code of " + String.join(" ", args));
        String err = r.err().strip();
        assertFalse(err.isEmpty(), "an error message on stderr");
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertFalse(err.contains("\tat "), "no stack trace");
        assertTrue(err.contains(expectInMessage), "'" + err + "' should contain '" + expectInMessage + "'");
        assertEquals(before, snapshot(), "a refused command changes nothing");
    }

    private Map<Path, Long> snapshot() throws Exception {
        Map<Path, Long> m = new java.util.TreeMap<>();
        if (Files.isDirectory(home)) {
            try (var s = Files.list(home)) {
                for (Path p : s.toList()) {
                    m.put(p, crc(p));
                }
            }
        }
        return m;
    }

    /** CRC32C of a whole file, read through a mapping (the images are sparse and can be large). */
    private static long crc(Path p) throws Exception {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p)) {
            java.util.zip.CRC32C c = new java.util.zip.CRC32C();
            c.update(ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size()));
            return c.getValue() ^ (ch.size() << 32);
        }
    }

    @Test
    void createNamespace_defaultFsdax_printsNdctlJsonInNdctlOrder() throws Exception {
        String out = cli.run("ndctl", "create-namespace", "--size", "64m").ok().out();
        JsonNode o = json(out);
        assertEquals(List.of("dev", "mode", "map", "size", "uuid", "sector_size", "align", "blockdev"), keys(o));
        assertEquals("namespace0.0", o.get("dev").asText());
        assertEquals("fsdax", o.get("mode").asText());
        assertEquals(62L << 20, o.get("size").asLong());
        assertEquals("pmem0", o.get("blockdev").asText());
        assertTrue(out.startsWith("{\n  \"dev\":\"namespace0.0\",\n  \"mode\":\"fsdax\",\n"), "json-c pretty layout:\n" + out);
        JsonNode raw = json(cli.run("ndctl", "create-namespace", "-s", "32M", "-m", "raw").ok().out());
        assertEquals(List.of("dev", "mode", "size", "uuid", "sector_size", "blockdev"), keys(raw));
        assertEquals("namespace1.0", raw.get("dev").asText());
        assertEquals(32L << 20, raw.get("size").asLong());
        JsonNode dd = json(cli.run("ndctl", "create-namespace", "-s", "0x1000000", "-m", "devdax").ok().out());
        assertEquals(List.of("dev", "mode", "map", "size", "uuid", "chardev", "align"), keys(dd));
        assertEquals("dax2.0", dd.get("chardev").asText());
    }

    @Test
    void createNamespace_badArguments_refusedCleanly() throws Exception {
        assertRefused("missing --size", "ndctl", "create-namespace");
        assertRefused("Invalid size", "ndctl", "create-namespace", "--size", "12q");
        assertRefused("invalid mode", "ndctl", "create-namespace", "--size", "64m", "-m", "sector");
        assertRefused("multiple of 2097152", "ndctl", "create-namespace", "--size", "5m");
        assertRefused("no data area", "ndctl", "create-namespace", "--size", "2m");
        assertRefused("no such namespace", "ndctl", "create-namespace", "-f", "-e", "namespace7.0", "-m", "raw");
        assertRefused("Unknown option", "ndctl", "create-namespace", "--size", "64m", "--bogus");
    }

    @Test
    void list_badblockCountOnlyWhenNonZero_badblocksOnlyWithM() throws Exception {
        cli.run("ndctl", "create-namespace", "--size", "64m", "-m", "raw").ok();
        JsonNode clean = json(cli.run("ndctl", "list").ok().out());
        assertTrue(clean.isArray());
        assertFalse(clean.get(0).has("badblock_count"));
        cli.run("ndctl", "inject-error", "namespace0.0", "--block", "4", "--count", "1").ok();
        cli.run("ndctl", "inject-error", "namespace0.0", "-B", "32768", "-n", "8").ok();
        JsonNode l = json(cli.run("ndctl", "list").ok().out()).get(0);
        assertEquals(9, l.get("badblock_count").asInt());
        assertFalse(l.has("badblocks"));
        JsonNode m = json(cli.run("ndctl", "list", "-M", "-n", "namespace0.0").ok().out()).get(0);
        assertEquals("[{\"offset\":4,\"length\":1},{\"offset\":32768,\"length\":8}]", m.get("badblocks").toString());
        assertEquals(List.of("dev", "mode", "size", "uuid", "sector_size", "blockdev", "badblock_count", "badblocks"), keys(m));
        JsonNode human = json(cli.run("ndctl", "list", "-u").ok().out());
        assertTrue(human.isObject(), "with -u a single namespace prints as an object");
        assertEquals("64.00 MiB (67.11 MB)", human.get("size").asText());
    }

    @Test
    void list_typeOptions_namespacesByDefault_regionsWithR_nestedWithRN() throws Exception {
        cli.run("ndctl", "create-namespace", "--size", "64m").ok();
        cli.run("ndctl", "inject-error", "namespace0.0", "-B", "8", "-n", "1").ok();
        String plain = cli.run("ndctl", "list").ok().out();
        assertEquals(plain, cli.run("ndctl", "list", "-N").ok().out(), "-N is the default type");
        JsonNode region = json(cli.run("ndctl", "list", "-R").ok().out()).get(0);
        assertEquals("region0", region.get("dev").asText());
        assertEquals(64L << 20, region.get("size").asLong(), "the region is the whole namespace, reservation included");
        assertEquals(0, region.get("available_size").asLong());
        assertEquals("pmem", region.get("type").asText());
        assertEquals(1, region.get("badblock_count").asInt());
        assertFalse(region.has("namespaces"));
        assertFalse(region.has("badblocks"));
        JsonNode both = json(cli.run("ndctl", "list", "-R", "-N", "-M").ok().out()).get(0);
        JsonNode nested = both.get("namespaces").get(0);
        assertEquals("namespace0.0", nested.get("dev").asText());
        long dataSectors = (64L << 20) / 512 - nested.get("size").asLong() / 512;
        assertEquals(8, nested.get("badblocks").get(0).get("offset").asLong(), "namespace badblocks: device sectors");
        assertEquals(8 + dataSectors, both.get("badblocks").get(0).get("offset").asLong(),
                "region badblocks: region sectors, the info-block reservation included");
    }

    @Test
    void injectError_verbose_logsEachPlatformCommandOnStderr() throws Exception {
        cli.run("ndctl", "create-namespace", "--size", "16m", "-m", "raw").ok();
        Cli.Result quiet = cli.run("ndctl", "inject-error", "namespace0.0", "-B", "4", "-n", "2").ok();
        assertEquals("", quiet.err());
        Cli.Result loud = cli.run("ndctl", "inject-error", "namespace0.0", "-B", "8", "-n", "2", "-v").ok();
        assertEquals(List.of(
                "libndctl: ndctl_namespace_inject_error: namespace0.0: ARS error inject at namespace offset 0x1000 length 0x100",
                "libndctl: ndctl_namespace_inject_error: namespace0.0: ARS error inject at namespace offset 0x1200 length 0x100"),
                loud.err().lines().toList());
        Cli.Result un = cli.run("ndctl", "inject-error", "namespace0.0", "-B", "8", "-n", "2", "-d", "--verbose").ok();
        assertTrue(un.err().contains("ndctl_namespace_uninject_error: namespace0.0: block 0x8 count 0x2"), un.err());
    }

    @Test
    void waitScrub_poll_isRefusedNotIgnored() throws Exception {
        cli.run("ndctl", "create-namespace", "--size", "16m").ok();
        assertRefused("-p/--poll is not supported", "ndctl", "wait-scrub", "-p", "1");
        cli.run("ndctl", "wait-scrub").ok();
    }

    @Test
    void list_empty_printsNothing_andUnknownNamespaceFails() throws Exception {
        assertEquals("", cli.run("ndctl", "list").ok().out());
        assertRefused("namespace3.0: no such namespace", "ndctl", "list", "-n", "namespace3.0");
        assertRefused("is not a namespace name", "ndctl", "list", "-n", "bogus");
    }

    @Test
    void destroyNamespace_removesTheImage() throws Exception {
        cli.run("ndctl", "create-namespace", "--size", "16m").ok();
        cli.run("ndctl", "create-namespace", "--size", "16m").ok();
        assertRefused("namespace0.0 is active, specify --force for re-configuration", "ndctl", "destroy-namespace", "namespace0.0");
        assertEquals(2, json(cli.run("ndctl", "list").ok().out()).size(), "a refused destroy destroys nothing");
        Cli.Result r = cli.run("ndctl", "destroy-namespace", "-f", "namespace0.0").ok();
        assertEquals("destroyed 1 namespace\n", r.err());
        assertEquals("namespace0.0", json(cli.run("ndctl", "create-namespace", "--size", "16m").ok().out()).get("dev").asText(),
                "the lowest free number is reused");
        assertRefused("no such namespace", "ndctl", "destroy-namespace", "namespace9.0");
        assertRefused("is active, specify --force", "ndctl", "destroy-namespace", "all");
        assertEquals("disabled 1 namespace\n", cli.run("ndctl", "disable-namespace", "namespace1.0").ok().err());
        assertEquals("destroyed 1 namespace\n", cli.run("ndctl", "destroy-namespace", "namespace1.0").ok().err(),
                "a disabled namespace needs no --force");
        cli.run("ndctl", "destroy-namespace", "all", "--force").ok();
        assertEquals("", cli.run("ndctl", "list").ok().out());
    }

    @Test
    void injectError_validationMessagesAsNdctl() throws Exception {
        cli.run("ndctl", "create-namespace", "--size", "16m", "-m", "raw").ok();
        assertRefused("status is invalid with inject or uninject", "ndctl", "inject-error", "namespace0.0", "-d", "-t");
        assertRefused("status is invalid with inject or uninject", "ndctl", "inject-error", "namespace0.0", "-t", "-B", "1");
        assertRefused("status is invalid with inject or uninject", "ndctl", "inject-error", "namespace0.0", "-t", "-S");
        assertRefused("block and count required for inject/uninject", "ndctl", "inject-error", "namespace0.0", "-B", "1");
        assertRefused("block and count required for inject/uninject", "ndctl", "inject-error", "namespace0.0", "-d", "-n", "1");
        assertRefused("Invalid block: zz", "ndctl", "inject-error", "namespace0.0", "-B", "zz", "-n", "1");
        assertRefused("Invalid count: 0", "ndctl", "inject-error", "namespace0.0", "-B", "1", "-n", "0");
        assertRefused("Invalid count: -4", "ndctl", "inject-error", "namespace0.0", "-B", "1", "-n", "-4");
        assertRefused("namespace5.0: no such namespace", "ndctl", "inject-error", "namespace5.0", "-B", "1", "-n", "1");
        assertRefused("block 0x8000, count 0x1 are out of bounds", "ndctl", "inject-error", "namespace0.0", "-B", "32768", "-n", "1");
        assertRefused("block 0x7fff, count 0x2 are out of bounds", "ndctl", "inject-error", "namespace0.0", "-B", "32767", "-n", "2");
        assertRefused("specify a namespace", "ndctl", "inject-error", "-B", "1", "-n", "1");
    }

    @Test
    void injectError_statusAndUninject() throws Exception {
        cli.run("ndctl", "create-namespace", "--size", "16m", "-m", "raw").ok();
        assertEquals("", cli.run("ndctl", "inject-error", "namespace0.0", "--status").ok().out());
        cli.run("ndctl", "inject-error", "namespace0.0", "-B", "42", "-n", "8", "-N").ok();
        cli.run("ndctl", "inject-error", "namespace0.0", "-B", "50", "-n", "2", "-S").ok();
        JsonNode st = json(cli.run("ndctl", "inject-error", "namespace0.0", "-t").ok().out());
        assertEquals("{\"badblocks\":[{\"block\":42,\"count\":10}]}", st.toString(), "adjacent records merge");
        JsonNode hx = json(cli.run("ndctl", "inject-error", "namespace0.0", "-t", "-u").ok().out());
        assertEquals("0x2a", hx.get("badblocks").get(0).get("block").asText());
        Cli.Result un = cli.run("ndctl", "inject-error", "namespace0.0", "-B", "42", "-n", "10", "--uninject").ok();
        assertTrue(un.out().startsWith("Warning: Un-injecting previously injected errors here will\n"));
        assertEquals("", cli.run("ndctl", "inject-error", "namespace0.0", "-t").ok().out());
        JsonNode after = json(un.out().substring(un.out().indexOf('{')));
        assertEquals(2, after.get("badblock_count").asInt(), "the kernel keeps its badblocks after an un-inject");
    }

    @Test
    void scrub_startAndWait_printBusStateAndFindLatentErrors() throws Exception {
        cli.run("ndctl", "create-namespace", "--size", "16m", "-m", "raw").ok();
        cli.run("ndctl", "inject-error", "namespace0.0", "-B", "100", "-n", "4", "--no-notify").ok();
        assertEquals("", cli.run("dev", "badblocks", "pmem0").ok().out());
        String start = cli.run("ndctl", "start-scrub").ok().out();
        assertEquals("[\n  {\n    \"provider\":\"nfit_test.0\",\n    \"dev\":\"ndbus0\",\n    \"scrub_state\":\"active\"\n  }\n]\n", start);
        assertEquals("idle", json(cli.run("ndctl", "wait-scrub").ok().out()).get(0).get("scrub_state").asText());
        assertEquals("100 4\n", cli.run("dev", "badblocks", "pmem0").ok().out());
        assertRefused("no such bus", "ndctl", "start-scrub", "ndbus7");
    }

    @Test
    void clearErrors_clearsKnownErrorsInTheDataArea() throws Exception {
        cli.run("ndctl", "create-namespace", "--size", "16m").ok();
        cli.run("ndctl", "inject-error", "namespace0.0", "-B", "8", "-n", "8").ok();
        cli.run("ndctl", "inject-error", "namespace0.0", "-B", "64", "-n", "1", "-N").ok();
        Cli.Result r = cli.run("ndctl", "clear-errors", "namespace0.0").ok();
        assertEquals("cleared 1 namespace\n", r.err());
        assertFalse(json(r.out()).has("badblock_count"));
        assertEquals("{\"badblocks\":[{\"block\":64,\"count\":1}]}",
                json(cli.run("ndctl", "inject-error", "namespace0.0", "-t").ok().out()).toString(), "latent errors stay");
        cli.run("ndctl", "clear-errors", "namespace0.0", "--scrub").ok();
        assertEquals("", cli.run("ndctl", "inject-error", "namespace0.0", "-t").ok().out());
        assertRefused("no such namespace", "ndctl", "clear-errors", "namespace4.0");
    }

    @Test
    void reconfigure_rawToFsdax_keepsRegionBadblocks() throws Exception {
        cli.run("ndctl", "create-namespace", "--size", "64m", "-m", "raw").ok();
        cli.run("ndctl", "inject-error", "namespace0.0", "-B", "65536", "-n", "8").ok();
        assertRefused("specify --force", "ndctl", "create-namespace", "-e", "namespace0.0", "-m", "fsdax");
        JsonNode o = json(cli.run("ndctl", "create-namespace", "-f", "-e", "namespace0.0", "-m", "fsdax").ok().out());
        assertEquals("fsdax", o.get("mode").asText());
        assertEquals("61440 8\n", cli.run("dev", "badblocks", "pmem0").ok().out());
        assertEquals("65536 8\n", cli.run("dev", "badblocks", "pmem0", "--region").ok().out());
    }

    @Test
    void corruptImage_isReportedOnOneLine() throws Exception {
        Files.write(home.resolve("namespace0.0.img"), new byte[64 << 10]);
        assertRefused("namespace0.0: cannot open", "ndctl", "list");
        assertRefused("not a usable pmemfs namespace image", "ndctl", "inject-error", "namespace0.0", "-B", "1", "-n", "1");
        assertRefused("cannot open", "dev", "badblocks", "pmem0");
    }

    @Test
    void home_fromEnvironment_prefersPmemfsHome() {
        assertEquals(Path.of("/x/y"), Home.fromEnvironment(Map.of("PMEMFS_HOME", "/x/y")).dir());
        assertEquals(Path.of(System.getProperty("user.home"), ".pmemfs"), Home.fromEnvironment(Map.of()).dir());
    }
}
