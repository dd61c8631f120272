package dev.pmemfs.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.HoldNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One owner per namespace: a second opener, in this process or another, is refused and changes nothing. */
class OwnerLockTest {
    @TempDir
    Path dir;

    private Path newImage() throws Exception {
        Path image = dir.resolve("ns.img");
        try (Namespace ns = Namespace.create(image, NamespaceConfig.of(8 << 20))) {
            ns.write(4096, new byte[] {1, 2, 3}, 0, 3);
        }
        return image;
    }

    @Test
    void open_whileOpenInThisProcess_isRefusedNamingTheHolder() throws Exception {
        Path image = newImage();
        try (Namespace first = Namespace.open(image, PersistenceDomain.mapped(), "mounted at /mnt/pm")) {
            NamespaceBusyException e = assertThrows(NamespaceBusyException.class, () -> Namespace.open(image));
            assertNotNull(e.holder());
            assertEquals(ProcessHandle.current().pid(), e.holder().pid());
            assertEquals("mounted at /mnt/pm", e.holder().purpose());
            assertThrows(NamespaceBusyException.class, () -> Namespace.delete(image));
            assertTrue(Files.exists(image), "a refused destroy leaves the image");
            first.describeOwner("serving fsck");
            assertEquals("serving fsck",
                    assertThrows(NamespaceBusyException.class, () -> Namespace.open(image)).holder().purpose());
        }
        try (Namespace again = Namespace.open(image)) {
            byte[] b = new byte[3];
            again.read(4096, b, 0, 3);
            assertEquals(2, b[1], "the data written before is there");
        }
        assertFalse(Files.exists(OwnerLock.ownerFile(image)), "a closed namespace names no owner");
    }

    @Test
    void open_whileAnotherProcessHoldsIt_isRefused_untilThatProcessDies() throws Exception {
        Path image = newImage();
        Process holder = HoldNamespace.start(image, "pmemfs io namespace0.0:/db");
        try {
            NamespaceBusyException e = assertThrows(NamespaceBusyException.class, () -> Namespace.open(image));
            assertEquals(holder.pid(), e.holder().pid());
            assertEquals("pmemfs io namespace0.0:/db", e.holder().purpose());
            assertThrows(NamespaceBusyException.class, () -> Namespace.delete(image));
            assertTrue(Files.exists(image), "a namespace is never destroyed under its owner");

            // kill -9: the kernel drops the claim with the process; its stale description does not matter.
            holder.destroyForcibly();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            try (Namespace ns = Namespace.open(image)) {
                assertEquals(ProcessHandle.current().pid(), ns.owner().pid());
            }
            Namespace.delete(image);
            assertFalse(Files.exists(image));
            assertFalse(Files.exists(OwnerLock.ownerFile(image)), "destroy leaves nothing behind");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void create_overAnExistingImage_failsAndKeepsIt() throws Exception {
        Path image = newImage();
        long size = Files.size(image);
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> Namespace.create(image, NamespaceConfig.of(8 << 20)));
        assertEquals(size, Files.size(image));
        try (Namespace ns = Namespace.open(image)) {
            assertEquals(8 << 20, ns.size());
        }
    }
}
