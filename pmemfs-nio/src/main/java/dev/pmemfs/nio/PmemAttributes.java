package dev.pmemfs.nio;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Badblock;
import dev.pmemfs.vfs.Fiemap;
import dev.pmemfs.vfs.Stat;
import dev.pmemfs.vfs.Syscalls;
import dev.pmemfs.vfs.Timespec;
import java.io.IOException;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The attribute views {@code basic}, {@code posix}, {@code owner} and {@code pmem}: reads are one
 * stat(2) (or FIEMAP and the badblock list for {@code pmem}), changes one chmod(2)/chown(2), so the
 * permission rules are the vfs layer's. Owners and groups are numeric ids ("1000"), as {@code ls -n}
 * shows them: there is no user database. Timestamps are set with utimensat(2).
 */
final class PmemAttributes {
    static final Set<String> VIEWS = Set.of("basic", "posix", "owner", "pmem");

    private static final List<String> BASIC = List.of("lastModifiedTime", "lastAccessTime", "creationTime", "size",
            "isRegularFile", "isDirectory", "isSymbolicLink", "isOther", "fileKey");
    private static final List<String> POSIX = List.of("permissions", "owner", "group");

    private PmemAttributes() {}

    /** A numeric user or group id as a principal. */
    record Principal(int id, boolean group) implements UserPrincipal, GroupPrincipal {
        @Override
        public String getName() {
            return Integer.toString(id);
        }

        @Override
        public String toString() {
            return getName();
        }
    }

    static final UserPrincipalLookupService LOOKUP = new UserPrincipalLookupService() {
        @Override
        public UserPrincipal lookupPrincipalByName(String name) throws IOException {
            return new Principal(id(name), false);
        }

        @Override
        public GroupPrincipal lookupPrincipalByGroupName(String group) throws IOException {
            return new Principal(id(group), true);
        }

        private int id(String name) throws UserPrincipalNotFoundException {
            if (name.equals("root")) {
                return 0;
            }
            try {
                int id = Integer.parseInt(name);
                if (id >= 0) {
                    return id;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new UserPrincipalNotFoundException(name);
        }
    };

    /** The file mode a creation call's attributes ask for ({@code posix:permissions}), else {@code dflt}. */
    static int modeOf(FileAttribute<?>[] attrs, int dflt) {
        int mode = dflt;
        for (FileAttribute<?> a : attrs) {
            if (a.name().equals("posix:permissions") || a.name().equals("unix:permissions")) {
                @SuppressWarnings("unchecked")
                Set<PosixFilePermission> perms = (Set<PosixFilePermission>) a.value();
                mode = bits(perms);
            } else {
                throw new UnsupportedOperationException("'" + a.name() + "' cannot be set initially");
            }
        }
        return mode;
    }

    static int bits(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 0400 >> p.ordinal();
        }
        return mode;
    }

    static Set<PosixFilePermission> perms(int mode) {
        EnumSet<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (0400 >> p.ordinal())) != 0) {
                out.add(p);
            }
        }
        return out;
    }

    /** stat(2) of one file as PosixFileAttributes (and so BasicFileAttributes). */
    record Attrs(Stat st) implements PosixFileAttributes {
        private static FileTime time(long ns) {
            return FileTime.from(ns, TimeUnit.NANOSECONDS);
        }

        @Override
        public FileTime lastModifiedTime() {
            return time(st.mtimeNs());
        }

        @Override
        public FileTime lastAccessTime() {
            return time(st.atimeNs());
        }

        /** No birth time is kept: the last status change, as the default provider falls back to. */
        @Override
        public FileTime creationTime() {
            return time(st.ctimeNs());
        }

        @Override
        public boolean isRegularFile() {
            return st.isRegular();
        }

        @Override
        public boolean isDirectory() {
            return st.isDirectory();
        }

        @Override
        public boolean isSymbolicLink() {
            return st.isSymlink();
        }

        @Override
        public boolean isOther() {
            return !st.isRegular() && !st.isDirectory() && !st.isSymlink();
        }

        @Override
        public long size() {
            return st.size();
        }

        @Override
        public Object fileKey() {
            return st.ino();
        }

        @Override
        public UserPrincipal owner() {
            return new Principal(st.uid(), false);
        }

        @Override
        public GroupPrincipal group() {
            return new Principal(st.gid(), true);
        }

        @Override
        public Set<PosixFilePermission> permissions() {
            return perms(st.mode());
        }
    }

    @SuppressWarnings("unchecked")
    static <A extends BasicFileAttributes> A read(PmemPath p, Class<A> type, boolean noFollow) throws IOException {
        if (type != BasicFileAttributes.class && type != PosixFileAttributes.class) {
            throw new UnsupportedOperationException("attributes of type " + type.getName());
        }
        return (A) new Attrs(PmemFileSystemProvider.stat(p, noFollow));
    }

    /** {@code [view:]names}, names comma separated or "*", as Files.readAttributes(Path, String) takes them. */
    static Map<String, Object> read(PmemPath p, String attributes, boolean noFollow) throws IOException {
        int colon = attributes.indexOf(':');
        String view = colon < 0 ? "basic" : attributes.substring(0, colon);
        String names = colon < 0 ? attributes : attributes.substring(colon + 1);
        List<String> known = switch (view) {
            case "basic" -> BASIC;
            case "posix" -> concat(BASIC, POSIX);
            case "owner" -> List.of("owner");
            case "pmem" -> List.of("badRanges", "extents");
            default -> throw new UnsupportedOperationException("view '" + view + "' is not available");
        };
        java.util.Set<String> asked = new java.util.HashSet<>();
        for (String n : names.split(",")) {
            if (n.equals("*")) {
                asked.addAll(known);
            } else if (known.contains(n)) {
                asked.add(n);
            } else {
                throw new IllegalArgumentException("'" + n + "' not recognized");
            }
        }
        // in the view's order, as the default provider's map has them
        List<String> wanted = known.stream().filter(asked::contains).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        if (view.equals("pmem")) {
            PmemView v = new PmemView(p);
            for (String n : wanted) {
                out.put(n, n.equals("badRanges") ? v.badRanges() : v.extents());
            }
            return out;
        }
        Attrs a = new Attrs(PmemFileSystemProvider.stat(p, noFollow));
        for (String n : wanted) {
            out.put(n, switch (n) {
                case "lastModifiedTime" -> a.lastModifiedTime();
                case "lastAccessTime" -> a.lastAccessTime();
                case "creationTime" -> a.creationTime();
                case "size" -> a.size();
                case "isRegularFile" -> a.isRegularFile();
                case "isDirectory" -> a.isDirectory();
                case "isSymbolicLink" -> a.isSymbolicLink();
                case "isOther" -> a.isOther();
                case "fileKey" -> a.fileKey();
                case "permissions" -> a.permissions();
                case "owner" -> a.owner();
                case "group" -> a.group();
                default -> throw new IllegalArgumentException("'" + n + "' not recognized");
            });
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @SuppressWarnings("unchecked")
    static void set(PmemPath p, String attribute, Object value) throws IOException {
        int colon = attribute.indexOf(':');
        String view = colon < 0 ? "basic" : attribute.substring(0, colon);
        String name = colon < 0 ? attribute : attribute.substring(colon + 1);
        Posix v = new Posix(p, false);
        switch (view + ":" + name) {
            case "posix:permissions" -> v.setPermissions((Set<PosixFilePermission>) value);
            case "posix:owner", "owner:owner" -> v.setOwner((UserPrincipal) value);
            case "posix:group" -> v.setGroup((GroupPrincipal) value);
            case "basic:lastModifiedTime", "posix:lastModifiedTime" -> v.setTimes((FileTime) value, null, null);
            case "basic:lastAccessTime", "posix:lastAccessTime" -> v.setTimes(null, (FileTime) value, null);
            case "basic:creationTime", "posix:creationTime" -> v.setTimes(null, null, (FileTime) value);
            default -> {
                if (!VIEWS.contains(view)) {
                    throw new UnsupportedOperationException("view '" + view + "' is not available");
                }
                throw new IllegalArgumentException("'" + attribute + "' cannot be set");
            }
        }
    }

    @SuppressWarnings("unchecked")
    static <V extends FileAttributeView> V view(PmemPath p, Class<V> type, boolean noFollow) {
        if (type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
                || type == FileOwnerAttributeView.class) {
            return (V) new Posix(p, noFollow);
        }
        if (type == PmemFileAttributeView.class) {
            return (V) new PmemView(p);
        }
        return null;
    }

    /** The basic, posix and owner views of one path (one class: each is a subset of posix). */
    static final class Posix implements PosixFileAttributeView {
        private final PmemPath p;
        private final boolean noFollow;

        Posix(PmemPath p, boolean noFollow) {
            this.p = p;
            this.noFollow = noFollow;
        }

        @Override
        public String name() {
            return "posix";
        }

        @Override
        public PosixFileAttributes readAttributes() throws IOException {
            return new Attrs(PmemFileSystemProvider.stat(p, noFollow));
        }

        /**
         * utimensat(2): null leaves a time as it is (UTIME_OMIT); the creation time is not kept, so
         * it is ignored, as the default provider ignores it on Linux.
         */
        @Override
        public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime)
                throws IOException {
            Timespec mtime = lastModifiedTime == null ? Timespec.OMIT : Timespec.ofNanos(nanos(lastModifiedTime));
            Timespec atime = lastAccessTime == null ? Timespec.OMIT : Timespec.ofNanos(nanos(lastAccessTime));
            try {
                p.getFileSystem().sys().utimensat(p.vfsPath(), atime, mtime, noFollow ? Syscalls.AT_SYMLINK_NOFOLLOW : 0);
            } catch (ErrnoException e) {
                throw Errors.of(e, p.toString());
            }
        }

        private static long nanos(FileTime t) {
            long ns = t.to(TimeUnit.NANOSECONDS);
            return ns;
        }

        @Override
        public void setPermissions(Set<PosixFilePermission> perms) throws IOException {
            try {
                Stat st = p.getFileSystem().sys().stat(p.vfsPath());
                // chmod(2) sets the setuid/setgid/sticky bits too: keep them as they are.
                p.getFileSystem().sys().chmod(p.vfsPath(), (st.mode() & 07000) | bits(perms));
            } catch (ErrnoException e) {
                throw Errors.of(e, p.toString());
            }
        }

        @Override
        public UserPrincipal getOwner() throws IOException {
            return readAttributes().owner();
        }

        @Override
        public void setOwner(UserPrincipal owner) throws IOException {
            chown(idOf(owner), -1);
        }

        @Override
        public void setGroup(GroupPrincipal group) throws IOException {
            chown(-1, idOf(group));
        }

        private static int idOf(UserPrincipal u) throws IOException {
            if (u instanceof Principal pr) {
                return pr.id();
            }
            return LOOKUP.lookupPrincipalByName(u.getName()) instanceof Principal pr ? pr.id() : -1;
        }

        private void chown(int uid, int gid) throws IOException {
            try {
                p.getFileSystem().sys().chown(p.vfsPath(), uid, gid);
            } catch (ErrnoException e) {
                throw Errors.of(e, p.toString());
            }
        }
    }

    /** The pmem view: the file opened read-only for FIEMAP and its badblock list. */
    static final class PmemView implements PmemFileAttributeView {
        private final PmemPath p;

        PmemView(PmemPath p) {
            this.p = p;
        }

        @Override
        public String name() {
            return "pmem";
        }

        @Override
        public List<PmemFiles.BadRange> badRanges() throws IOException {
            return withFd((sys, fd) -> {
                List<PmemFiles.BadRange> out = new ArrayList<>();
                for (Badblock b : sys.badblocks(fd)) {
                    out.add(new PmemFiles.BadRange(b.offset(), b.length()));
                }
                return List.copyOf(out);
            });
        }

        @Override
        public List<PmemFiles.Extent> extents() throws IOException {
            return withFd((sys, fd) -> {
                long size = sys.fstat(fd).size();
                List<PmemFiles.Extent> out = new ArrayList<>();
                if (size == 0) {
                    return List.of();
                }
                Fiemap map = sys.fiemap(fd, 0, size, Fiemap.FIEMAP_FLAG_SYNC, Integer.MAX_VALUE / 64);
                for (Fiemap.Extent e : map.extents()) {
                    out.add(new PmemFiles.Extent(e.logical(), e.physical(), e.length(), e.unwritten()));
                }
                return List.copyOf(out);
            });
        }

        private interface FdCall<T> {
            T run(Syscalls sys, int fd) throws ErrnoException;
        }

        private <T> T withFd(FdCall<T> call) throws IOException {
            Syscalls sys = p.getFileSystem().sys();
            try {
                int fd = sys.open(p.vfsPath(), Syscalls.O_RDONLY, 0);
                try {
                    return call.run(sys, fd);
                } finally {
                    sys.close(fd);
                }
            } catch (ErrnoException e) {
                throw Errors.of(e, p.toString());
            }
        }
    }
}
