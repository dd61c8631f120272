package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/FORMAT.md stays exact: the offset/size tables of the superblock, the inode, the directory block
 * and the symlink block list the same fields, in the same order, as the struct layouts the encoders
 * and decoders use.
 */
class FormatDocTest {
    /** (offset, size) of every field of a layout, in order. */
    static List<long[]> fields(MediaStruct s) {
        List<long[]> out = new ArrayList<>();
        long off = 0;
        for (MemoryLayout m : s.layout.memberLayouts()) {
            out.add(new long[] {off, m.byteSize()});
            off += m.byteSize();
        }
        return out;
    }

    /** The rows of the first table after the heading that starts with {@code heading}. */
    static List<long[]> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("docs/FORMAT.md"));
        int i = 0;
        while (!lines.get(i).startsWith("## " + heading)) {
            i++;
        }
        while (!lines.get(i).startsWith("| offset")) {
            i++;
        }
        List<long[]> out = new ArrayList<>();
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            String off = cells[1].trim();
            String size = cells[2].trim();
            if (off.endsWith("..") || !size.matches("\\d+( each)?")) {
                continue; // a variable-length tail (entries, target bytes, 8n target numbers)
            }
            if (off.contains("..")) {
                long from = Long.parseLong(off.substring(0, off.indexOf("..")));
                long to = Long.parseLong(off.substring(off.indexOf("..") + 2));
                long each = Long.parseLong(size.replace(" each", ""));
                for (long o = from; o + each - 1 <= to; o += each) {
                    out.add(new long[] {o, each});
                }
            } else {
                out.add(new long[] {Long.parseLong(off), Long.parseLong(size)});
            }
        }
        assertFalse(out.isEmpty(), heading);
        return out;
    }

    static void same(String heading, MediaStruct s) throws IOException {
        List<long[]> doc = table(heading);
        List<long[]> code = fields(s);
        assertEquals(code.size(), doc.size(), heading + ": number of fields");
        for (int k = 0; k < code.size(); k++) {
            assertEquals(code.get(k)[0], doc.get(k)[0], heading + ": offset of field " + k);
            assertEquals(code.get(k)[1], doc.get(k)[1], heading + ": size of field " + k);
        }
    }

    @Test
    void superblockTableMatchesTheLayout() throws IOException {
        same("Superblock", Superblock.LAYOUT);
    }

    @Test
    void inodeTableMatchesTheLayout() throws IOException {
        same("Inodes", InodeCodec.INODE);
        assertEquals(Geometry.INODE_SIZE, InodeCodec.INODE.size());
    }

    @Test
    void directoryBlockTableMatchesTheLayout() throws IOException {
        same("Directories", Directory.BLOCK);
    }

    @Test
    void metadataHeaderTableMatchesTheLayout() throws IOException {
        same("Metadata block header", MetaBlock.LAYOUT);
    }

    @Test
    void journalDescriptorTableMatchesTheLayout() throws IOException {
        same("Journal", Journal.DESCRIPTOR);
    }

    @Test
    void symlinkBlockTableMatchesTheLayout() throws IOException {
        same("Symlink blocks", SymlinkBlock.LAYOUT);
    }
}
