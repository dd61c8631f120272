/**
 * The emulated NVDIMM namespace: an image file mapped with FFM holding a header, the platform's
 * persistent media-error log and the data area; media poison (truth, clear units, latent or known),
 * the driver's badblocks (512-byte sectors), error injection, scrub (ARS), the firmware clear-error
 * call, and the persistence domain (flush/fence, with a tracking implementation for power cuts).
 *
 * <p>Models drivers/nvdimm/bus.c (nvdimm_clear_poison), badrange.c, block/badblocks.c and the ACPI
 * NFIT error-injection and ARS commands; reference §1.3, §2, §3, §8. Imports only {@code errno}.
 * Locks in this package are leaves: nothing here calls up while holding one.
 */
package dev.pmemfs.media;
