package dev.pmemfs.errno;

/**
 * Linux error numbers, with the numbers and {@code strerror} texts of x86-64 glibc.
 *
 * <p>Every layer reports failure with one of these; the text is what {@code perror} and
 * xfs_io print ("pread: Input/output error").
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    EINTR(4, "Interrupted system call"),
    EIO(5, "Input/output error"),
    ENXIO(6, "No such device or address"),
    E2BIG(7, "Argument list too long"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    EXDEV(18, "Invalid cross-device link"),
    ENODEV(19, "No such device"),
    ENOTDIR(20, "Not a directory"),
    EISDIR(21, "Is a directory"),
    EINVAL(22, "Invalid argument"),
    ENFILE(23, "Too many open files in system"),
    EMFILE(24, "Too many open files"),
    ENOTTY(25, "Inappropriate ioctl for device"),
    ETXTBSY(26, "Text file busy"),
    EFBIG(27, "File too large"),
    ENOSPC(28, "No space left on device"),
    ESPIPE(29, "Illegal seek"),
    EROFS(30, "Read-only file system"),
    EMLINK(31, "Too many links"),
    EPIPE(32, "Broken pipe"),
    ERANGE(34, "Numerical result out of range"),
    ENAMETOOLONG(36, "File name too long"),
    ENOSYS(38, "Function not implemented"),
    ENOTEMPTY(39, "Directory not empty"),
    ELOOP(40, "Too many levels of symbolic links"),
    ENODATA(61, "No data available"),
    EOVERFLOW(75, "Value too large for defined data type"),
    EBADR(53, "Invalid request descriptor"),
    EOPNOTSUPP(95, "Operation not supported"),
    EUCLEAN(117, "Structure needs cleaning"),
    EHWPOISON(133, "Memory page has hardware error");

    /** XFS's name for EUCLEAN: on-media metadata failed a checksum or sanity check. */
    public static final Errno EFSCORRUPTED = EUCLEAN;

    private final int number;
    private final String text;

    Errno(int number, String text) {
        this.number = number;
        this.text = text;
    }

    /** The positive Linux number ({@code EIO} is 5). */
    public int number() {
        return number;
    }

    /** What {@code strerror} prints. */
    public String text() {
        return text;
    }

    /** The constant with this Linux number; {@code IllegalArgumentException} when there is none. */
    public static Errno of(int number) {
        for (Errno e : values()) {
            if (e.number == number) {
                return e;
            }
        }
        throw new IllegalArgumentException("no errno " + number);
    }
}
