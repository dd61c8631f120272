package dev.pmemfs.cli.io;

import java.util.List;

/** The command table of the io session, with xfs_io's names, argument counts and usage texts. */
final class IoCommands {
    private IoCommands() {}

    static List<IoCmd> all() {
        return List.of(
                new IoCmd("pwrite", "w", 2, -1, "[-b bs] [-q] [-S seed] off len",
                        "writes a number of bytes at a specified offset", true, false, ReadWriteCommands::pwrite),
                new IoCmd("pread", "r", 2, -1, "[-b bs] [-qv] off len",
                        "reads a number of bytes at a specified offset", true, false, ReadWriteCommands::pread),
                IoCmd.onFile("falloc", 2, -1, "[-c] [-k] [-p] [-u] off len",
                        "allocates space associated with part of a file via fallocate", PreallocCommands::falloc),
                IoCmd.onFile("fpunch", 2, 2, "off len",
                        "de-allocates space associated with part of a file via fallocate",
                        PreallocCommands.fixed("fpunch", PreallocCommands.PUNCH)),
                IoCmd.onFile("fcollapse", 2, 2, "off len",
                        "de-allocates space and eliminates the hole by shifting extents",
                        PreallocCommands.fixed("fcollapse", PreallocCommands.COLLAPSE)),
                IoCmd.onFile("finsert", 2, 2, "off len",
                        "creates new space for writing within file by shifting extents",
                        PreallocCommands.fixed("finsert", PreallocCommands.INSERT)),
                IoCmd.onFile("fzero", 2, 3, "[-k] off len", "zeroes space and eliminates holes by preallocating",
                        PreallocCommands::fzero),
                IoCmd.onFile("fwzero", 2, 3, "[-k] off len",
                        "zeroes space by writing zeroes to it (FALLOC_FL_WRITE_ZEROES, Linux 6.17)",
                        PreallocCommands::fwzero),
                IoCmd.onFile("fallocate", 3, 3, "mode off len",
                        "calls fallocate(2) with a raw mode: a number (0x3, -1) or flags (KEEP_SIZE|PUNCH_HOLE)",
                        PreallocCommands::raw),
                IoCmd.onFile("funshare", 2, 2, "off len", "unshares shared blocks within the range",
                        PreallocCommands.fixed("funshare", PreallocCommands.UNSHARE)),
                IoCmd.onFile("fzeroinit", 2, 2, "off len",
                        "resets written blocks to zeros in place and clears their media errors "
                                + "(FALLOC_FL_ZEROINIT_RANGE|KEEP_SIZE)",
                        PreallocCommands.fixed("fzeroinit", PreallocCommands.ZEROINIT)),
                IoCmd.onFile("fiemap", 0, -1, "[-alv] [-n nx] [offset [len]]", "print block mapping for a file",
                        FiemapCommand::run),
                IoCmd.onFile("seek", 2, 5, "-a | -d | -h [-r] off", "locate the next data and/or hole",
                        SeekCommand::run),
                IoCmd.onFile("truncate", 1, 1, "off", "truncates the current file at the given offset",
                        FileCommands::truncate),
                IoCmd.onFile("fsync", 0, 0, "", "calls fsync(2) to flush all in-core file state to disk",
                        FileCommands::fsync),
                IoCmd.onFile("fdatasync", 0, 0, "", "calls fdatasync(2) to flush the files in-core data to disk",
                        FileCommands::fsync),
                IoCmd.onFile("stat", 0, 1, "[-v|-r]", "statistics on the currently open file", FileCommands::stat),
                IoCmd.onFile("chmod", 1, 1, "-r | -w | MODE",
                        "change the read/write permissions on the currently open file", FileCommands::chmod),
                IoCmd.onFile("chattr", 1, -1, "[-R|-D] [+/-riasAdtPneEfSxC]",
                        "change extended inode flags on the currently open file", FileCommands::chattr),
                IoCmd.onFile("lsattr", 0, 1, "[-R|-D|-a|-v]", "list extended inode flags set on the currently open file",
                        FileCommands::lsattr),
                new IoCmd("open", null, 0, -1, "[-acfrt] [-m mode] [path]", "open the file specified by path",
                        false, false, FileCommands::open),
                IoCmd.onFile("close", 0, 0, "", "close the current open file", FileCommands::close),
                new IoCmd("mmap", "mm", 0, -1, "[N] | [-rwx] [off len]",
                        "mmap a range in the current file, show mappings", true, false, MmapCommands::mmap),
                IoCmd.onMapping("munmap", 0, 0, "", "unmaps the current memory mapping", MmapCommands::munmap),
                IoCmd.onMapping("mread", 0, -1, "[-r] [off len]",
                        "reads data from a region in the current memory mapping", MmapCommands::mread),
                IoCmd.onMapping("mwrite", 0, -1, "[-r] [-S seed] [off len]",
                        "writes data into a region in the current memory mapping", MmapCommands::mwrite),
                IoCmd.onMapping("msync", 0, -1, "[-ais] [off len]", "flush a region in the current memory mapping",
                        MmapCommands::msync),
                IoCmd.onMapping("madvise", 0, -1, "[-drswP] [off len]",
                        "give advice about use of memory (-P: MADV_HWPOISON)", MmapCommands::madvise));
    }
}
