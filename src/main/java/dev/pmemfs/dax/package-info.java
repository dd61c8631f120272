/**
 * The DAX face of the pmem driver: the {@code dax_operations} table (direct access, zero page range,
 * recovery write, and the RFC's zeroinit), the core checks of drivers/dax/super.c, and the holder
 * notification chain. Models drivers/nvdimm/pmem.c and drivers/dax/super.c; reference §1.1, §1.2.
 * May import {@code media}, {@code block} (a page zero goes through the block write path, as
 * pmem_dax_zero_page_range does) and {@code errno}.
 */
package dev.pmemfs.dax;
