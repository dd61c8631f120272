/**
 * The pmem driver, one component as drivers/nvdimm/pmem.c is one file: its block face (pmem_submit_bio,
 * pmem_do_read, pmem_do_write, pmem_clear_poison, pmem_clear_bb, the sysfs badblocks file), its
 * {@code dax_operations} (pmem_dax_direct_access, pmem_dax_zero_page_range, pmem_recovery_write and the
 * RFC's zeroinit) and pmem_pagemap_memory_failure; reference §1.2, §2.3, §6, §7.2. Imports
 * {@code media}, {@code block}, {@code dax} and {@code errno}.
 *
 * <p>Public: only {@link dev.pmemfs.pmem.Pmem} ({@code attach(Namespace)} gives the
 * {@code DaxDevice} and the {@code BlockDevice}). Everything else is package-private, so the driver's
 * internals ({@code doRead}, {@code doWrite}, {@code clearPoisonFirmware}, {@code clearBb},
 * {@code isBadPmem}) are reachable by nobody but the driver: {@code PmemBlock} (the bio paths and the
 * internals both faces share), {@code PmemBlockHandle} (O_DIRECT rules, BLKZEROOUT checks),
 * {@code BadblocksStore} (the kernel's sscanf rules), {@code PmemDax} (the {@code dax_operations}
 * handed to {@code dax.DaxCore}) and {@code PmemWindow} (the kaddr).
 *
 * <p>No locks of its own: poison state is locked in media.
 */
package dev.pmemfs.pmem;
