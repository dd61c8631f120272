package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile image (issue 12.5): metadata whose checksums are valid but whose fields hold values a
 * correct pmemfs never writes. Each case crafts one field, reseals the block, and expects the
 * filesystem to refuse it as corruption (EUCLEAN, one line naming the structure) on first use, and
 * fsck not to call the image clean; nothing is trusted, nothing crashes.
 */
class HostileImageTest {
    @TempDir
    Path dir;

    /** Where the crafted structures live in a freshly built image. */
    record Image(FsFixture f, Geometry g, long file, long sub, long link, long longLink, long fifo) {}

    static Image build(Path dir) throws ErrnoException {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        FsFixture f = new FsFixture(dir, 16L << 20, MountOptions.DEFAULTS);
        long file = f.create("f");
        byte[] data = FsFixture.pattern(4096, 7);
        for (int i = 0; i < 3; i++) {
            f.fs.write(file, (long) i * 2 * 4096, data, 0, data.length); // three extents, holes between
        }
        long sub = f.fs.create(f.fs.rootIno(), "d", FileType.DIRECTORY, 0755, 0, 0);
        f.fs.create(sub, "inner", FileType.REGULAR, 0644, 0, 0);
        long link = f.fs.symlink(f.fs.rootIno(), "l", "f", 0, 0);
        long longLink = f.fs.symlink(f.fs.rootIno(), "ll", "x".repeat(500), 0, 0);
        long fifo = f.fs.mknod(f.fs.rootIno(), "p", FileType.FIFO, 0644, 0, 0, 0);
        f.fs.close();
        return new Image(f, PmemFs.readSuperblock(f.dax).geometry(), file, sub, link, longLink, fifo);
    }

    /** Rewrites metadata block {@code block} after {@code edit}, with a valid checksum. */
    static void craft(Image im, long block, int magic, java.util.function.Consumer<MemorySegment> edit)
            throws ErrnoException {
        MetaStore meta = new MetaStore(im.f.dax, im.f.bdev, PmemFs.readSuperblock(im.f.dax));
        byte[] img = meta.edit(block, magic, "crafted", false);
        edit.accept(MediaStruct.of(img));
        MetaBlock.seal(img, magic, block, meta.fsid());
        meta.write(block, img);
        im.f.dax.fence();
    }

    static void craftInode(Image im, long ino, BiConsumer<MemorySegment, Long> edit) throws ErrnoException {
        long base = im.g.itabSlotOffset(ino);
        craft(im, im.g.itabBlock(ino), MetaBlock.MAGIC_INODES, s -> edit.accept(s, base));
    }

    static long field(String name) {
        return InodeCodec.INODE.offset(name);
    }

    static long extent(int i, String name) {
        return InodeCodec.FORK + (long) InodeCodec.EXTENT_SIZE * i + InodeCodec.EXTENT.offset(name);
    }

    /** One crafted case: which inode (by role) to edit and how, and what use must fail. */
    record Case(String name, java.util.function.ToLongFunction<Image> ino, BiConsumer<MemorySegment, Long> edit,
            String expect) {}

    static Case u32(String name, String fieldName, int value, String expect) {
        return new Case(name, Image::file, (s, b) -> s.set(MediaStruct.U32, b + field(fieldName), value), expect);
    }

    static Case u64(String name, String fieldName, long value, String expect) {
        return new Case(name, Image::file, (s, b) -> s.set(MediaStruct.U64, b + field(fieldName), value), expect);
    }

    static List<Case> inodeCases() {
        List<Case> c = new ArrayList<>();
        c.add(u32("inline extent count -1", "count", -1, "fork format 0"));
        c.add(u32("inline extent count 9", "count", 9, "fork format 0"));
        long pastMax = MountedFs.MAX_BYTES == Long.MAX_VALUE ? Long.MIN_VALUE : MountedFs.MAX_BYTES + 1;
        c.add(u64("size past the largest file", "size", pastMax, "(the largest file)"));
        c.add(u64("negative size", "size", -4096, "size -4096"));
        c.add(u64("more blocks than the device", "blocks", 1L << 40, "owns 1099511627776 blocks"));
        c.add(u32("unknown file type", "mode", 0170644, "unknown file type"));
        c.add(u32("mode bits outside S_IFMT|07777", "mode", 0100644 | 0200000000, "has bits outside"));
        c.add(u32("link count -1", "nlink", -1, "link count"));
        c.add(u32("unknown inode flags", "flags", 0x1000, "unknown flags"));
        c.add(u64("parent inode 0", "parent", 0, "parent inode 0"));
        c.add(u64("parent inode past the table", "parent", 1L << 40, "parent inode 1099511627776"));
        c.add(new Case("unknown fork format", Image::file,
                (s, b) -> s.set(MediaStruct.U16, b + field("format"), (short) 9), "fork format 9"));
        c.add(new Case("device fork on a regular file", Image::file,
                (s, b) -> s.set(MediaStruct.U16, b + field("format"), (short) InodeCodec.FMT_DEV), "fork format 3"));
        c.add(new Case("extent of 0 blocks", Image::file,
                (s, b) -> s.set(MediaStruct.U32, b + extent(0, "count"), 0), "invalid extent"));
        c.add(new Case("extent in the metadata area", Image::file,
                (s, b) -> s.set(MediaStruct.U64, b + extent(0, "devBlock"), 5L), "invalid extent"));
        c.add(new Case("extent past the device", Image::file,
                (s, b) -> s.set(MediaStruct.U64, b + extent(1, "devBlock"), 1L << 31), "invalid extent"));
        c.add(new Case("extent past the largest file", Image::file,
                (s, b) -> s.set(MediaStruct.U64, b + extent(2, "fileBlock"), 1L << 62), "invalid extent"));
        c.add(new Case("unknown extent flags", Image::file,
                (s, b) -> s.set(MediaStruct.U32, b + extent(0, "flags"), 6), "invalid extent"));
        c.add(new Case("overlapping extents", Image::file,
                (s, b) -> s.set(MediaStruct.U64, b + extent(1, "fileBlock"), 0L), "out of order or overlap"));
        c.add(new Case("directory link count 1", Image::sub,
                (s, b) -> s.set(MediaStruct.U32, b + field("nlink"), 1), "link count 1"));
        c.add(new Case("directory size not a whole block", Image::sub,
                (s, b) -> s.set(MediaStruct.U64, b + field("size"), 4097L), "size 4097"));
        c.add(new Case("inline symlink length other than its size", Image::link,
                (s, b) -> s.set(MediaStruct.U32, b + field("count"), 2), "fork format 4"));
        c.add(new Case("inline symlink target with NUL", Image::link,
                (s, b) -> s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, b + InodeCodec.FORK, (byte) 0), "NUL"));
        c.add(new Case("long symlink that claims to fit inline", Image::longLink,
                (s, b) -> s.set(MediaStruct.U64, b + field("size"), 100L), "symlink of 100 bytes"));
        c.add(new Case("FIFO with a size", Image::fifo,
                (s, b) -> s.set(MediaStruct.U64, b + field("size"), 10L), "fork format 3"));
        return c;
    }

    /** What a user does with the file: every path must meet the corruption, none may loop or crash. */
    static void use(FileSystem fs, long ino) throws ErrnoException {
        fs.readdir(fs.rootIno());
        InodeAttr a = fs.getattr(ino);
        if (a.type() == FileType.SYMLINK) {
            fs.readlink(ino);
        } else if (a.type() == FileType.REGULAR) {
            fs.read(ino, 0, new byte[8192], 0, 8192);
        } else if (a.type() == FileType.DIRECTORY) {
            fs.readdir(ino);
        }
    }

    @TestFactory
    Stream<DynamicTest> eachInvalidInodeFieldIsCorruption() {
        return inodeCases().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Image im = build(dir.resolve(k.name().replaceAll("\\W", "_")));
            try {
                long ino = k.ino().applyAsLong(im);
                craftInode(im, ino, k.edit());
                im.f.fs = PmemFs.mount(im.f.dax, im.f.bdev, null);
                ErrnoException e = assertThrows(ErrnoException.class, () -> use(im.f.fs, ino));
                assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
                assertTrue(e.getMessage().contains(k.expect()), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
                im.f.fs.close();
                FsckReport r = Fsck.check(im.f.dax, im.f.bdev, false);
                assertNotEquals(FsckReport.CLEAN, r.exitCode(), r.findings().toString());
                assertNotEquals(FsckReport.OPERATIONAL, r.exitCode(), r.findings().toString());
                assertTrue(r.findings().toString().contains("inode " + ino), r.findings().toString());
                im.f.fs = PmemFs.mount(im.f.dax, im.f.bdev, null);
            } finally {
                im.f.close();
            }
        }));
    }

    /** A directory entry field crafted in the root directory's first block. */
    record EntryCase(String name, BiConsumer<MemorySegment, Integer> edit, String expect) {}

    @TestFactory
    Stream<DynamicTest> eachInvalidDirectoryFieldIsCorruption() {
        long first = Directory.BLOCK.size();
        List<EntryCase> cases = List.of(
                new EntryCase("entry inode 0", (s, o) -> s.set(MediaStruct.U64, first, 0L), "bad entry"),
                new EntryCase("entry inode past the table", (s, o) -> s.set(MediaStruct.U64, first, 1L << 33),
                        "bad entry"),
                new EntryCase("unknown entry type", (s, o) -> s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, first + 8, (byte) 9),
                        "bad entry"),
                new EntryCase("empty name", (s, o) -> s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, first + 9, (byte) 0),
                        "bad entry"),
                new EntryCase("name with a slash", (s, o) -> s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, first + 10, (byte) '/'),
                        "invalid name"),
                new EntryCase("entry count past the block", (s, o) -> s.set(MediaStruct.U32,
                        Directory.BLOCK.offset("count"), -1), "entry count"),
                new EntryCase("block of another directory", (s, o) -> s.set(MediaStruct.U64,
                        Directory.BLOCK.offset("dirIno"), 2L), "owned by inode 2"));
        return cases.stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Image im = build(dir.resolve(k.name().replaceAll("\\W", "_")));
            try {
                im.f.fs = PmemFs.mount(im.f.dax, im.f.bdev, null);
                long rootBlock = im.f.fs.extents(im.f.fs.rootIno(), 0, 4096).getFirst().physical() / 4096;
                im.f.fs.close();
                craft(im, rootBlock, MetaBlock.MAGIC_DIR, s -> k.edit().accept(s, 0));
                im.f.fs = PmemFs.mount(im.f.dax, im.f.bdev, null);
                ErrnoException e = assertThrows(ErrnoException.class, () -> im.f.fs.readdir(im.f.fs.rootIno()));
                assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
                assertTrue(e.getMessage().contains(k.expect()), e.getMessage());
                im.f.fs.close();
                FsckReport r = Fsck.check(im.f.dax, im.f.bdev, false);
                assertNotEquals(FsckReport.CLEAN, r.exitCode(), r.findings().toString());
                im.f.fs = PmemFs.mount(im.f.dax, im.f.bdev, null);
            } finally {
                im.f.close();
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> eachInvalidSuperblockFieldIsRefusedAtMount() {
        record SbCase(String name, String field, long value, boolean wide) {}
        List<SbCase> cases = List.of(new SbCase("root inode 0", "rootIno", 0, true),
                new SbCase("unknown option bits", "defaultOptions", 0x80, false),
                new SbCase("journal tail past the journal", "tailPos", 1L << 40, true),
                new SbCase("inode count past the device", "inodeCount", 1L << 50, true),
                new SbCase("a version 0 image", "version", 0, false),
                new SbCase("a future format", "minReadVersion", Superblock.VERSION + 1, false));
        return cases.stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Image im = build(dir.resolve(k.name().replaceAll("\\W", "_")));
            try {
                long off = Superblock.LAYOUT.offset(k.field());
                for (long b : new long[] {Geometry.SB_PRIMARY, Geometry.SB_BACKUP}) {
                    craftSuperblock(im, b, s -> {
                        if (k.wide()) {
                            s.set(MediaStruct.U64, off, k.value());
                        } else {
                            s.set(MediaStruct.U32, off, (int) k.value());
                        }
                    });
                }
                ErrnoException e = assertThrows(ErrnoException.class,
                        () -> PmemFs.mount(im.f.dax, im.f.bdev, null));
                assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                if (k.field().equals("minReadVersion")) {
                    assertTrue(e.getMessage().contains("needs a reader of version " + (Superblock.VERSION + 1)),
                            e.getMessage());
                }
            } finally {
                PmemFs.mkfs(im.f.dax, im.f.bdev, MkfsOptions.DEFAULTS);
                im.f.fs = PmemFs.mount(im.f.dax, im.f.bdev, null);
                im.f.close();
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> eachInvalidOrphanListFieldIsRefusedAtMount() {
        long count = OrphanList.LAYOUT.offset("count");
        long first = OrphanList.LAYOUT.size();
        record OrphanCase(String name, java.util.function.Consumer<MemorySegment> edit, String expect) {}
        List<OrphanCase> cases = List.of(
                new OrphanCase("count past the block", s -> s.set(MediaStruct.U32, count, 100_000), "count 100000"),
                new OrphanCase("inode 0", s -> {
                    s.set(MediaStruct.U32, count, 1);
                    s.set(MediaStruct.U64, first, 0L);
                }, "not an inode number"),
                new OrphanCase("an inode listed twice", s -> {
                    s.set(MediaStruct.U32, count, 2);
                    s.set(MediaStruct.U64, first, 2L);
                    s.set(MediaStruct.U64, first + 8, 2L);
                }, "listed twice"));
        return cases.stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Image im = build(dir.resolve("orphan_" + k.name().replaceAll("\\W", "_")));
            try {
                craft(im, Geometry.ORPHAN_BLOCK, MetaBlock.MAGIC_ORPHAN, k.edit());
                ErrnoException e = assertThrows(ErrnoException.class, () -> PmemFs.mount(im.f.dax, im.f.bdev, null));
                assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
                assertTrue(e.getMessage().contains(k.expect()), e.getMessage());
            } finally {
                craft(im, Geometry.ORPHAN_BLOCK, MetaBlock.MAGIC_ORPHAN, s -> s.set(MediaStruct.U32, count, 0));
                im.f.fs = PmemFs.mount(im.f.dax, im.f.bdev, null);
                im.f.close();
            }
        }));
    }

    @org.junit.jupiter.api.Test
    void aVersion1ImageIsUpgradedAtMount() throws ErrnoException {
        Image im = build(dir.resolve("v1"));
        try {
            for (long b : new long[] {Geometry.SB_PRIMARY, Geometry.SB_BACKUP}) {
                craftSuperblock(im, b, s -> {
                    s.set(MediaStruct.U32, Superblock.LAYOUT.offset("version"), 1);
                    s.set(MediaStruct.U32, Superblock.LAYOUT.offset("minReadVersion"), 1);
                });
            }
            assertEquals(1, PmemFs.readSuperblock(im.f.dax).version());
            assertTrue(Fsck.check(im.f.dax, im.f.bdev, false).clean());
            im.f.fs = PmemFs.mount(im.f.dax, im.f.bdev, null);
            for (long b : new long[] {Geometry.SB_PRIMARY, Geometry.SB_BACKUP}) {
                byte[] img = DaxSeam.readBlock(im.f.dax, b, "superblock");
                assertEquals(Superblock.VERSION, Superblock.decode(img, b).version());
                assertEquals(Superblock.MIN_READ_VERSION,
                        MediaStruct.of(img).get(MediaStruct.U32, Superblock.LAYOUT.offset("minReadVersion")));
            }
            assertEquals("f", im.f.fs.readlink(im.f.fs.lookup(im.f.fs.rootIno(), "l")));
        } finally {
            im.f.close();
        }
    }

    static void craftSuperblock(Image im, long block, java.util.function.Consumer<MemorySegment> edit)
            throws ErrnoException {
        byte[] img = DaxSeam.readBlock(im.f.dax, block, "superblock");
        int fsid = MetaBlock.fsidOf(img);
        edit.accept(MediaStruct.of(img));
        MetaBlock.seal(img, MetaBlock.MAGIC_SUPER, block, fsid);
        im.f.dax.directAccess(block, 1, dev.pmemfs.dax.DaxAccessMode.ACCESS).write(0, img, 0, img.length);
        im.f.dax.fence();
    }
}
