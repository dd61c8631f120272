package dev.pmemfs.cli.recover;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.fs.MountOptionsOption;
import dev.pmemfs.cli.fs.MountedNamespace;
import dev.pmemfs.recovery.Damage;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pmemfs badblocks NS [--files] [--json]}: every known media error of the namespace's block
 * device, named by its owner through the filesystem's reverse map — a file and the range of it, a
 * metadata structure, or free space. Needs no privilege beyond reading the namespace, like libpmem2's
 * fsdax badblock listing.
 */
@Command(name = "badblocks", mixinStandardHelpOptions = true,
        description = "Which files (or metadata, or free space) the known media errors hit.")
public final class BadblocksCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    CredentialsOption credentials;

    @Mixin
    MountOptionsOption mountOptions;

    @Parameters(index = "0", paramLabel = "NS", description = "The namespace (namespaceN.0 or pmemN).")
    String name;

    @Option(names = "--files", description = "List only the damaged files: path, file offset, length.")
    boolean filesOnly;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<Damage.Hit> hits;
        String dev;
        try (MountedNamespace m = MountedNamespace.open(homeOption.home(), name, mountOptions.text())) {
            hits = Damage.find(m.vfs().fileSystem());
            dev = m.pmem().block().name();
        }
        if (filesOnly) {
            hits = hits.stream().filter(h -> h instanceof Damage.FileHit).toList();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(hits)));
        } else {
            for (Damage.Hit h : hits) {
                out.println(line(h));
            }
            if (hits.isEmpty()) {
                out.println(dev + ": no known media errors" + (filesOnly ? " in files" : ""));
            }
        }
        return 0;
    }

    /** {@code SECTOR+COUNT  what}: device sectors first, as the sysfs badblocks file counts them. */
    private static String line(Damage.Hit h) {
        String where = "sectors " + (h.deviceOffset() >>> 9) + "+" + (h.length() >>> 9);
        return switch (h) {
            case Damage.FileHit f -> where + "\tfile " + f.path() + " offset " + f.range().offset() + " length "
                    + f.range().length() + (f.unwritten() ? " (unwritten: reads as zeros)" : "");
            case Damage.MetadataHit md -> where + "\tmetadata: " + md.structure() + " (run 'pmemfs fsck')";
            case Damage.FreeHit fr -> where + "\tfree space (cleared when the allocator reuses it)";
        };
    }

    private static ArrayNode toJson(List<Damage.Hit> hits) {
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        for (Damage.Hit h : hits) {
            ObjectNode o = arr.addObject();
            o.put("sector", h.deviceOffset() >>> 9);
            o.put("sectors", h.length() >>> 9);
            switch (h) {
                case Damage.FileHit f -> {
                    o.put("owner", "file");
                    o.put("path", f.path());
                    o.put("ino", f.ino());
                    o.put("offset", f.range().offset());
                    o.put("length", f.range().length());
                    o.put("unwritten", f.unwritten());
                }
                case Damage.MetadataHit md -> {
                    o.put("owner", "metadata");
                    o.put("structure", md.structure());
                }
                case Damage.FreeHit fr -> o.put("owner", "free");
            }
        }
        return arr;
    }
}
