/**
 * The DAX face of the pmem driver: the {@code dax_operations} table (direct access, zero page range,
 * recovery write, and the RFC's zeroinit), the core checks of drivers/dax/super.c, and the holder
 * notification chain. Models drivers/nvdimm/pmem.c and drivers/dax/super.c; reference §1.1, §1.2,
 * §1.4, §7.1–7.3. May import {@code media}, {@code block} (a page zero goes through the block write
 * path, as pmem_dax_zero_page_range does) and {@code errno}.
 *
 * <p>Public: {@link dev.pmemfs.dax.Pmem} ({@code attach(Namespace)} gives the {@code DaxDevice} and
 * the {@code BlockDevice}), the contract types ({@link dev.pmemfs.dax.DaxDevice},
 * {@link dev.pmemfs.dax.DaxWindow}, {@link dev.pmemfs.dax.DaxHolder},
 * {@link dev.pmemfs.dax.DaxAccessMode}, {@link dev.pmemfs.dax.DaxPoisonException}) and the driver
 * table {@link dev.pmemfs.dax.DaxOperations}. Package-private: {@code DaxCore} (the super.c checks,
 * holder, memory-failure translation, kill_dax), {@code PmemDax} (pmem's operations) and
 * {@code PmemWindow} (the kaddr).
 *
 * <p>No locks of its own: the holder and liveness are volatile fields; poison state is locked in
 * media. Holder callbacks run on the thread that consumed the poison, with no lock held.
 */
package dev.pmemfs.dax;
