package dev.pmemfs.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every persistence domain must do; each implementation's test supplies one. */
abstract class PersistenceDomainContract {
    @TempDir
    Path dir;

    abstract PersistenceDomain newDomain();

    private Namespace create() throws Exception {
        return Namespace.create(dir.resolve("ns.img"), NamespaceConfig.of(4L << 20, NamespaceMode.RAW), newDomain());
    }

    @Test
    void stores_flushedAndFenced_visibleAndDurableAcrossReopen() throws Exception {
        byte[] data = "persistent bytes".getBytes();
        try (Namespace ns = create()) {
            ns.write(4096, data, 0, data.length);
            ns.storeLong(8192, 0x1122334455667788L);
            ns.fill(12288, 100, (byte) 0x5A);
            ns.flush(8192, 8);
            ns.fence();
            byte[] back = new byte[data.length];
            ns.read(4096, back, 0, back.length);
            assertArrayEquals(data, back);
            assertEquals(0x1122334455667788L, ns.loadLong(8192));
        }
        try (Namespace ns = Namespace.open(dir.resolve("ns.img"))) {
            byte[] back = new byte[data.length];
            ns.read(4096, back, 0, back.length);
            assertArrayEquals(data, back);
            assertEquals(0x1122334455667788L, ns.loadLong(8192));
            byte[] filled = new byte[100];
            ns.read(12288, filled, 0, 100);
            for (byte b : filled) {
                assertEquals(0x5A, b);
            }
        }
    }

    @Test
    void attach_twice_isRefused() throws Exception {
        PersistenceDomain pd = newDomain();
        try (Namespace ns = Namespace.create(dir.resolve("a.img"), NamespaceConfig.of(4L << 20, NamespaceMode.RAW), pd)) {
            assertThrows(IllegalStateException.class,
                    () -> Namespace.create(dir.resolve("b.img"), NamespaceConfig.of(4L << 20, NamespaceMode.RAW), pd));
        }
    }

    @Test
    void storeLong_unaligned_storesAllEightBytes() throws Exception {
        try (Namespace ns = create()) {
            ns.storeLong(4099, -1L);
            ns.flush(4099, 8);
            ns.fence();
            byte[] back = new byte[16];
            ns.read(4096, back, 0, 16);
            for (int i = 0; i < 16; i++) {
                assertEquals(i >= 3 && i < 11 ? (byte) -1 : 0, back[i], "byte " + i);
            }
        }
    }
}
