package dev.pmemfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeTest {
    @TempDir
    Path dir;

    @Test
    void idOf_acceptsEveryNameOfANamespace() throws Exception {
        assertEquals(3, Home.idOf("namespace3.0"));
        assertEquals(3, Home.idOf("pmem3"));
        assertEquals(3, Home.idOf("/dev/pmem3"));
        assertEquals(3, Home.idOf("dax3.0"));
        assertEquals(3, Home.idOf("region3"));
        for (String bad : new String[] {"namespace3.1", "pmem", "sda", "", "pmem99999999999"}) {
            assertThrows(UserException.class, () -> Home.idOf(bad), bad);
        }
    }

    @Test
    void createOpenNextIdDestroy() throws Exception {
        Home home = Home.at(dir.resolve("nested/home"));
        assertEquals(List.of(), home.names());
        assertEquals(0, home.nextId());
        home.create(NamespaceConfig.of(4L << 20).withId(0)).close();
        home.create(NamespaceConfig.of(4L << 20).withId(2)).close();
        assertEquals(List.of("namespace0.0", "namespace2.0"), home.names());
        assertEquals(1, home.nextId());
        try (Namespace ns = home.open("pmem2")) {
            assertEquals("namespace2.0", ns.name());
        }
        UserException dup = assertThrows(UserException.class, () -> home.create(NamespaceConfig.of(4L << 20).withId(2)));
        assertTrue(dup.getMessage().contains("already exists"), dup.getMessage());
        home.destroy("namespace0.0");
        assertEquals(0, home.nextId());
        UserException missing = assertThrows(UserException.class, () -> home.open("namespace0.0"));
        assertTrue(missing.getMessage().contains("no such namespace"), missing.getMessage());
    }

    @Test
    void open_imageOfAnotherNumber_isRefused() throws Exception {
        Home home = Home.at(dir);
        home.create(NamespaceConfig.of(4L << 20).withId(1)).close();
        Files.move(home.imagePath(1), home.imagePath(5));
        UserException e = assertThrows(UserException.class, () -> home.open("namespace5.0"));
        assertTrue(e.getMessage().contains("holds namespace1.0"), e.getMessage());
    }
}
