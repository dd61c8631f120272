/**
 * The pmemfs stack: the emulated namespace, the pmem driver, the DAX filesystem, the syscall layer,
 * the recovery designs and the stack builder. A program that uses pmemfs as a library depends on
 * {@code dev.pmemfs.nio}, whose API is the provider, {@code PmemFiles} and the exceptions; the layers
 * are open to that module (and, on the class path, to the command line), not to other code. Only the
 * error numbers are public, because the provider's exceptions carry them.
 *
 * <p>On the module path, run with {@code --enable-native-access=dev.pmemfs.core} (the namespace lock
 * calls fcntl(2) through the FFM API).
 */
module dev.pmemfs.core {
    exports dev.pmemfs.block to dev.pmemfs.nio;
    exports dev.pmemfs.dax to dev.pmemfs.nio;
    exports dev.pmemfs.errno;
    exports dev.pmemfs.fs to dev.pmemfs.nio;
    exports dev.pmemfs.media to dev.pmemfs.nio;
    exports dev.pmemfs.pmem to dev.pmemfs.nio;
    exports dev.pmemfs.recovery to dev.pmemfs.nio;
    exports dev.pmemfs.stack to dev.pmemfs.nio;
    exports dev.pmemfs.vfs to dev.pmemfs.nio;
}
