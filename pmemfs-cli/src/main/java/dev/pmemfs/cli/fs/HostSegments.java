package dev.pmemfs.cli.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data segments of a host file, as coreutils' cp finds them ({@code lseek(SEEK_DATA)} /
 * {@code lseek(SEEK_HOLE)} on the source, copy.c's {@code lseek_copy}), through FFM since
 * {@code java.nio} has no SEEK_DATA. A host filesystem without SEEK_DATA support answers with the
 * whole file as one segment, which is what lseek itself does on such filesystems.
 */
final class HostSegments {
    private static final int O_RDONLY = 0;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final int ENXIO = 6;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = LINKER.downcallHandle(
            LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle LSEEK = LINKER.downcallHandle(
            LINKER.defaultLookup().find("lseek").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private HostSegments() {}

    /** {@code [offset, end)} pairs of the file's data, in order, for a file of {@code size} bytes. */
    static List<long[]> of(Path file, long size) throws IOException {
        List<long[]> out = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(file.toString()), O_RDONLY);
            if (fd < 0) {
                throw new IOException("cannot open " + file + " (errno " + (int) ERRNO.get(state, 0L) + ")");
            }
            try {
                long pos = 0;
                while (pos < size) {
                    long data = (long) LSEEK.invokeExact(state, fd, pos, SEEK_DATA);
                    if (data < 0) {
                        int errno = (int) ERRNO.get(state, 0L);
                        if (errno == ENXIO) {
                            break; // a hole to the end
                        }
                        return List.of(new long[] {0, size}); // no SEEK_DATA here: all data
                    }
                    long hole = (long) LSEEK.invokeExact(state, fd, data, SEEK_HOLE);
                    if (hole < 0) {
                        hole = size;
                    }
                    out.add(new long[] {data, Math.min(hole, size)});
                    pos = hole;
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("lseek(2) downcall", t);
        }
        return out;
    }
}
