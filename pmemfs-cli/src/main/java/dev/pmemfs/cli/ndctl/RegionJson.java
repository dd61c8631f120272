package dev.pmemfs.cli.ndctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pmemfs.block.Badblocks;
import dev.pmemfs.media.BadRange;
import dev.pmemfs.media.Namespace;
import java.util.List;

/**
 * A region as ndctl's {@code util_region_to_json} prints it (ndctl/json.c; reference §8.2): {@code dev,
 * size, align, available_size, max_available_extent, type, badblock_count, badblocks,
 * persistence_domain, namespaces}. Each pmemfs region holds exactly one
 * namespace that fills it, so nothing is available; badblocks are region-relative sectors (the
 * reservation included), split at 512, and appear as for namespaces ({@code badblock_count} when
 * non-zero, the array only with -M).
 */
final class RegionJson {
    /** The region alignment ndctl reports on x86-64 (memremap_compat_align, 16 MiB). */
    static final long REGION_ALIGN = 16L << 20;

    private RegionJson() {}

    static ObjectNode of(Namespace ns, boolean mediaErrors, boolean human, ArrayNode namespaces) {
        ObjectNode o = JsonC.object();
        o.put("dev", ns.regionName());
        NamespaceJson.size(o, "size", ns.size(), human);
        NamespaceJson.size(o, "align", REGION_ALIGN, human);
        NamespaceJson.size(o, "available_size", 0, human);
        NamespaceJson.size(o, "max_available_extent", 0, human);
        o.put("type", "pmem");
        if (!ns.regionEnabled()) {
            o.put("state", "disabled");
            o.put("persistence_domain", "memory_controller");
            return o;
        }
        List<BadRange> bbs = Badblocks.entries(ns.badblocks());
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
        o.put("persistence_domain", "memory_controller");
        if (namespaces != null && !namespaces.isEmpty()) {
            o.set("namespaces", namespaces);
        }
        return o;
    }
}
