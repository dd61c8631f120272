package dev.pmemfs.cli.ndctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pmemfs.block.Badblocks;
import dev.pmemfs.media.BadRange;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.media.NamespaceMode;
import dev.pmemfs.pmem.Pmem;
import java.util.List;

/**
 * A namespace as ndctl's {@code util_namespace_to_json} prints it (reference §8.2; ecosystem §3.2):
 * keys in ndctl's order {@code dev, mode, map, size, uuid, [chardev], sector_size, align, blockdev,
 * badblock_count, badblocks}; a disabled namespace has {@code state: disabled} and no device or badblocks. {@code size} is the usable size (the data area for fsdax/devdax);
 * {@code badblock_count} appears only when non-zero, {@code badblocks} only with media errors asked
 * for and present; entries are device sectors, split at 512 as the sysfs file shows them.
 */
final class NamespaceJson {
    private NamespaceJson() {}

    static ObjectNode of(Namespace ns, boolean mediaErrors, boolean human) {
        ObjectNode o = JsonC.object();
        o.put("dev", ns.name());
        o.put("mode", ns.mode().ndctlName());
        if (ns.mode() != NamespaceMode.RAW) {
            o.put("map", "dev");
        }
        size(o, "size", ns.dataSize(), human);
        o.put("uuid", ns.uuid().toString());
        if (ns.mode() == NamespaceMode.DEVDAX && ns.enabled()) {
            o.put("chardev", ns.chardevName());
        }
        if (ns.mode() != NamespaceMode.DEVDAX) {
            o.put("sector_size", 512);
        }
        if (ns.mode() != NamespaceMode.RAW) {
            o.put("align", NamespaceConfig.ALIGN);
        }
        if (!ns.enabled()) {
            // No driver, no device node, no badblocks file: what ndctl shows of an idle namespace.
            o.put("state", "disabled");
            return o;
        }
        if (ns.mode() != NamespaceMode.DEVDAX) {
            o.put("blockdev", ns.blockdevName());
        }
        List<BadRange> bbs = Badblocks.entries(Pmem.deviceBadblocks(ns));
        long count = bbs.stream().mapToLong(BadRange::nrSectors).sum();
        if (count > 0) {
            o.put("badblock_count", count);
        }
        if (mediaErrors && !bbs.isEmpty()) {
            ArrayNode arr = o.putArray("badblocks");
            for (BadRange r : bbs) {
                ObjectNode e = arr.addObject();
                e.put("offset", r.startSector());
                e.put("length", r.nrSectors());
            }
        }
        return o;
    }

    /** ndctl's {@code util_json_object_size}: a number, or with -u "N.NN MiB (N.NN MB)". */
    static void size(ObjectNode o, String key, long bytes, boolean human) {
        if (!human) {
            o.put(key, bytes);
            return;
        }
        o.put(key, humanSize(bytes));
    }

    static String humanSize(long bytes) {
        String[] bin = {"KiB", "MiB", "GiB", "TiB"};
        String[] dec = {"KB", "MB", "GB", "TB"};
        if (bytes < 1024) {
            return bytes + "";
        }
        int i = 0;
        double b = bytes / 1024.0;
        while (b >= 1024 && i < 3) {
            b /= 1024;
            i++;
        }
        int j = 0;
        double d = bytes / 1000.0;
        while (d >= 1000 && j < 3) {
            d /= 1000;
            j++;
        }
        return String.format("%.2f %s (%.2f %s)", b, bin[i], d, dec[j]);
    }
}
