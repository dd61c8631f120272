package dev.pmemfs.testing;

import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.media.NamespaceMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Temporary namespaces for tests: images go in the caller's {@code @TempDir}, which JUnit removes. */
public final class TestNamespaces {
    public static final long MIB = 1L << 20;

    private TestNamespaces() {}

    /** An fsdax namespace of {@code size} bytes in {@code dir}. */
    public static Namespace fsdax(Path dir, long size) {
        return create(dir, NamespaceConfig.of(size));
    }

    /** A raw namespace of {@code size} bytes in {@code dir}. */
    public static Namespace raw(Path dir, long size) {
        return create(dir, NamespaceConfig.of(size, NamespaceMode.RAW));
    }

    public static Namespace create(Path dir, NamespaceConfig config) {
        try {
            return Namespace.create(dir.resolve("namespace" + config.id() + ".0-" + System.nanoTime() + ".img"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
