package dev.pmemfs.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import org.junit.jupiter.api.Test;

class FdTableTest {
    private static OpenFile file() {
        return new OpenFile(5, Syscalls.O_RDONLY, "/f");
    }

    @Test
    void install_handsOutTheLowestFreeDescriptor() throws ErrnoException {
        FdTable t = new FdTable();
        assertEquals(0, t.install(file()));
        assertEquals(1, t.install(file()));
        assertEquals(2, t.install(file()));
        t.remove(1, "close");
        assertEquals(1, t.install(file()));
        assertEquals(3, t.install(file()));
    }

    @Test
    void get_closedDescriptor_isEbadf() throws ErrnoException {
        FdTable t = new FdTable();
        int fd = t.install(file());
        t.remove(fd, "close");
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, () -> t.get(fd, "read")).errno());
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, () -> t.remove(fd, "close")).errno());
    }

    @Test
    void install_fullTable_isEmfile() throws ErrnoException {
        FdTable t = new FdTable();
        for (int i = 0; i < FdTable.NR_OPEN; i++) {
            t.install(file());
        }
        assertEquals(Errno.EMFILE, assertThrows(ErrnoException.class, () -> t.install(file())).errno());
        assertEquals(Errno.EMFILE, assertThrows(ErrnoException.class, t::requireFree).errno());
    }
}
