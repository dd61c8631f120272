/**
 * The dax core: the {@code dax_operations} seam between a pmem driver and a filesystem, and the checks
 * of drivers/dax/super.c in front of it. Models include/linux/dax.h and drivers/dax/super.c;
 * reference §1.1, §1.4, §7.1–7.3. May import {@code media} (value types) and {@code errno}; it never
 * sees a driver: {@link dev.pmemfs.dax.DaxCore} knows a driver only through
 * {@link dev.pmemfs.dax.DaxOperations}, and the rules every driver keeps are the test suite
 * {@code DaxOperationsContract}.
 *
 * <p>Public: the filesystem's side ({@link dev.pmemfs.dax.DaxDevice}, {@link dev.pmemfs.dax.DaxWindow},
 * {@link dev.pmemfs.dax.DaxHolder}, {@link dev.pmemfs.dax.DaxAccessMode},
 * {@link dev.pmemfs.dax.DaxPoisonException}), the driver's side ({@link dev.pmemfs.dax.DaxOperations})
 * and {@link dev.pmemfs.dax.DaxCore} (alloc_dax; its {@code holderNotifyFailure} and {@code kill}
 * are for the driver that created it).
 *
 * <p>No locks of its own: the holder and liveness are volatile fields. Holder callbacks run on the
 * thread that consumed the poison, with no lock held; an error a holder answers is logged and thrown
 * back to the driver, which hands it to the load that consumed the poison.
 */
package dev.pmemfs.dax;
