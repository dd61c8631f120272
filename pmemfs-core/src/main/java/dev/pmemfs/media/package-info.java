/**
 * The emulated NVDIMM namespace: an image file mapped with FFM holding a header, the platform's
 * persistent media-error log and the data area; media poison (truth, clear units, latent or known),
 * the driver's badblocks (512-byte sectors), error injection, scrub (ARS), the firmware clear-error
 * call, and the persistence domain (flush/fence, with a tracking implementation for power cuts).
 *
 * <p>Models drivers/nvdimm/bus.c (nvdimm_clear_poison), badrange.c, block/badblocks.c and the ACPI
 * NFIT error-injection and ARS commands; reference §1.3, §2, §3, §8. Imports only {@code errno}.
 *
 * <h2>Public surface</h2>
 * {@link dev.pmemfs.media.Namespace} (create/open/reconfigure, data copies, poison, badblocks,
 * scrub), {@link dev.pmemfs.media.NamespaceConfig} and {@link dev.pmemfs.media.NamespaceMode},
 * {@link dev.pmemfs.media.PersistenceDomain} with {@link dev.pmemfs.media.TrackingPersistence}, the
 * values {@link dev.pmemfs.media.ByteRange}, {@link dev.pmemfs.media.BadRange},
 * {@link dev.pmemfs.media.PoisonRange}, {@link dev.pmemfs.media.CopyResult},
 * {@link dev.pmemfs.media.ClearFault}, {@link dev.pmemfs.media.ScrubState}, and the upcall
 * {@link dev.pmemfs.media.MemoryFailureListener}. Everything else is package-private: the nouns a
 * {@code Namespace} is made of ({@code NamespaceImage}: the image file, its owner lock, mapping,
 * header and raw copies; {@code MediaPoison}: injection, consumption, the firmware clear, scrub;
 * {@code RegionBadblocks}: the region's badblocks list), the image {@code Layout}, the twice-kept {@code MediaHeader}, the {@code MediaErrorLog} (CRC32C records in
 * two areas, compacted with a snapshot), its in-memory image {@code MediaState}, the chunked
 * {@code RangeSet} (sorted primitive arrays, O(log n) lookup, no 512-entry limit unless the namespace keeps Linux's table) and the
 * {@code Scrubber} state machine.
 *
 * <h2>The poison model</h2>
 * Injection poisons whole clear units and fills them with {@link dev.pmemfs.media.Namespace#GARBAGE};
 * notify makes it known (and adds its sectors, rounded outward, to badblocks), otherwise it is latent.
 * A load that meets poison ({@code read}, {@code machineCheck}) makes a latent unit known, adds it to
 * badblocks and calls the listener. Stores never clear poison; only the firmware clear does, and the
 * cleared content stays what it was. Badblocks is one list of region sectors, persisted with the
 * poison; block and dax views rebase it by the data offset.
 *
 * <h2>Crash tests</h2>
 * Create the namespace with a {@link dev.pmemfs.media.TrackingPersistence}, run the workload, then
 * for each cut point {@code k} in {@code 0..fenceCount()} write a crash image with
 * {@code crashImage(k, keep, path)} and {@link dev.pmemfs.media.Namespace#open(java.nio.file.Path)} it;
 * see the class comment of TrackingPersistence. Every store of this package, data and metadata, goes
 * through the namespace's persistence domain.
 *
 * <h2>Locks</h2>
 * One read-write lock in {@code MediaState} guards poison, badblocks and the log; the scrubber and
 * the tracking domain each have their monitor. All are leaves: nothing here calls up (the listener
 * is called with no lock held) and data copies take no lock at all.
 */
package dev.pmemfs.media;
