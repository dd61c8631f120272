package dev.pmemfs.scenario;

import static dev.pmemfs.vfs.Syscalls.O_CREAT;
import static dev.pmemfs.vfs.Syscalls.O_RDONLY;
import static dev.pmemfs.vfs.Syscalls.O_RDWR;
import static dev.pmemfs.vfs.Syscalls.PROT_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxHolder;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.BlockOwner;
import dev.pmemfs.fs.MediaFailure;
import dev.pmemfs.testing.Cli;
import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.vfs.DaxMapping;
import dev.pmemfs.vfs.HwPoisonException;
import dev.pmemfs.vfs.Syscalls;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory failure at any address of the device, as hwpoison-inject's {@code corrupt-pfn} and fstests'
 * xfs/550 drive it (reference §7.1, §7.2, §9.2): the filesystem holder hears {@code notify_failure},
 * names the owner from its reverse map and acts as XFS does. File data: every process mapping the page
 * loses it (its next access is SIGBUS BUS_MCEERR_AR, "Process is killed by signal: 7") and the page
 * reads as EIO; metadata: the filesystem shuts down; free space: nothing happens.
 */
class MemoryFailureScenarioTest {
    @TempDir
    Path tmp;

    @Test
    void xfs_550_fileData_everyMapperIsKilled() throws Exception {
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, MountedVfs.LINUX)) {
            // Create the original files: 64 KiB of 0x61
            Syscalls root = m.root();
            int fd = root.open("/testfile", O_CREAT | O_RDWR, 0644);
            byte[] data = new byte[65536];
            Arrays.fill(data, (byte) 0x61);
            root.pwrite(fd, data, 0, data.length, 0);
            var extent = root.fiemap(fd, 4096, 1, 0, 1).extents().getFirst();
            long page = (extent.physical() + 4096 - extent.logical()) / DaxDevice.PAGE_SIZE;

            // two processes map the file and fault its second page in
            Syscalls parent = m.user(0, 0);
            Syscalls child = m.user(0, 0);
            try (DaxMapping p = parent.mmap(parent.open("/testfile", O_RDONLY, 0), 0, 65536, PROT_READ);
                    DaxMapping c = child.mmap(child.open("/testfile", O_RDONLY, 0), 0, 65536, PROT_READ)) {
                assertEquals(0x61, p.getByte(4096));
                assertEquals(0x61, c.getByte(4096));

                // Inject memory failure (1 page)
                m.pmem.dax().memoryFailure(page, DaxHolder.MF_SW_SIMULATED);
                List<MediaFailure> heard = m.fs().mediaFailures();
                assertEquals(1, heard.size(), heard.toString());
                assertTrue(heard.getFirst().owner() instanceof BlockOwner.FileData d && d.fileOffset() == 4096,
                        heard.toString());

                // Process is killed by signal: 7 -- both of them, at the page's address
                HwPoisonException pk = assertThrows(HwPoisonException.class, () -> p.getByte(4096 + 100));
                assertEquals(4196, pk.address(), "the faulting address");
                assertEquals(12, pk.lsb());
                assertThrows(HwPoisonException.class, () -> c.getByte(4096));
                assertEquals(0x61, p.getByte(0), "the other pages stay mapped");
                assertEquals(0x61, c.getByte(8192));
            }
            // read(2) of the page: EIO; the filesystem goes on
            assertEquals(Errno.EIO, assertThrows(ErrnoException.class,
                    () -> root.pread(fd, new byte[10], 0, 10, 4096)).errno());
            root.pwrite(fd, data, 0, 4096, 0);
        }
    }

    @Test
    void metadata_shutsTheFilesystemDown_freeSpaceChangesNothing() throws Exception {
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, MountedVfs.LINUX)) {
            Syscalls root = m.root();
            int fd = root.open("/f", O_CREAT | O_RDWR, 0644);
            root.pwrite(fd, new byte[4096], 0, 4096, 0);
            long pages = m.pmem.dax().nrPages();

            // a free page: nothing owns it, nothing happens
            long free = pages - 1;
            assertTrue(m.fs().owner(free * DaxDevice.PAGE_SIZE) instanceof BlockOwner.Free);
            m.pmem.dax().memoryFailure(free, DaxHolder.MF_SW_SIMULATED);
            root.pwrite(fd, new byte[4096], 0, 4096, 4096);

            // the superblock's page: the filesystem shuts down (EUCLEAN to the injector, EIO to everyone after)
            assertTrue(m.fs().owner(0) instanceof BlockOwner.Metadata, m.fs().owner(0).toString());
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> m.pmem.dax().memoryFailure(0, DaxHolder.MF_SW_SIMULATED));
            assertEquals(Errno.EUCLEAN, e.errno());
            ErrnoException after = assertThrows(ErrnoException.class, () -> root.pwrite(fd, new byte[1], 0, 1, 0));
            assertEquals(Errno.EIO, after.errno());
            assertTrue(after.getMessage().contains("shut down"), after.getMessage());
        }
    }

    @Test
    void corruptPfn_cli() throws Exception {
        Path home = tmp.resolve("home");
        Cli cli = new Cli(home);
        cli.run("ndctl", "create-namespace", "--size", "32m").ok();
        cli.run("mkfs", "namespace0.0").ok();
        cli.run("io", "-f", "namespace0.0:/db", "-c", "pwrite -S 0x61 0 64k").ok();
        Matcher fm = Pattern.compile("\\]:\\s+(\\d+)\\.\\.").matcher(
                cli.run("io", "-r", "namespace0.0:/db", "-c", "fiemap -v").ok().out());
        assertTrue(fm.find());
        long pfn = Long.parseLong(fm.group(1)) / 8 + 2;

        // echo $pfn > /sys/kernel/debug/hwpoison/corrupt-pfn: the holder names the file and offset
        Cli.Result r = cli.run("dev", "corrupt-pfn", "pmem0", String.format("%#x", pfn)).ok();
        assertEquals(String.format("Injecting memory failure at pfn %#x%n"
                + "pmem0: page %#x: file /db offset 8192: unmapped from every mapping, whose next access takes SIGBUS (BUS_MCEERR_AR)%n"
                + "Memory failure: %#x: recovery action for dax page: Recovered%n", pfn, pfn, pfn), r.out());
        assertTrue(cli.run("io", "-r", "namespace0.0:/db", "-c", "pread 8192 4096").err().contains("Input/output error"));
        assertTrue(cli.run("badblocks", "namespace0.0").ok().out().contains("/db"));

        // the superblock's page: the filesystem shuts down, the injection reports the failure
        r = cli.run("dev", "corrupt-pfn", "pmem0", "0");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.out().contains(": metadata (superblock)"), r.out());
        assertTrue(r.out().contains("recovery action for dax page: Failed"), r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("Structure needs cleaning"), r.err());

        // bad input: one line each
        for (String bad : List.of("-1", "0x", "99999999", "1z")) {
            Cli.Result b = cli.run("dev", "corrupt-pfn", "pmem0", bad);
            assertFalse(b.exit() == 0, bad);
            assertEquals(1, b.err().lines().count(), b.err());
        }
        assertEquals(1, cli.run("dev", "corrupt-pfn", "pmem0", "1", "--user", "1000").exit());
    }
}
