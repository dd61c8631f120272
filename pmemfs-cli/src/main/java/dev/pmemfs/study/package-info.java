/**
 * The study: every recovery design run on the same seeded workload on a fresh namespace, measured
 * step by step (fragmentation, PMD-mappable fraction, RDMA scatter-gather entries, clean blocks left,
 * poison left, data destroyed, metadata damaged, privilege, latency), and reported as JSON, CSV,
 * Markdown and an HTML page with charts. A frontend: it drives the recovery strategies through the
 * same paths a user's program takes.
 *
 * <p>The measuring and reporting half is pure, and depends only on the result records
 * ({@link dev.pmemfs.study.StudyResult}, {@code StrategyRun}, {@code StepMetrics}, {@code DeviceMap}):
 * {@code FilePlacement} turns a file's extents into runs, PMD-mappable bytes and RDMA SGEs; {@code Summary}
 * takes a run's headline figures; {@link dev.pmemfs.study.StudyReport} writes {@code results.json},
 * {@code results.csv}, {@code summary.md} and a self-contained {@code report.html} (inline SVG charts,
 * no scripts); {@link dev.pmemfs.study.ProgressBar} shows progress on the terminal. The same result
 * always gives the same bytes.
 *
 * <p>The driving half: {@link dev.pmemfs.study.Study#run} runs each {@link dev.pmemfs.study.Pairing}
 * (a {@code recovery.Strategy} and the {@code MountOptions.Profile} that offers it) of a
 * {@link dev.pmemfs.study.StudyConfig}. {@code Experiment} gives each pairing a fresh namespace
 * ({@code Testbed}: a {@code stack.PmemStack} with the workload's processes), sets up the
 * {@link dev.pmemfs.study.Workload} ({@code WorkloadRun}, with a {@code FileModel} of every file's expected
 * content), and plays the seeded {@code PoisonEvent} plan: {@code Placement} puts each event on that run's
 * layout and injects it, a scrub finds latent ones, {@code recovery.Damage} names the owners through the
 * rmap, the strategy repairs each damaged file as its user would (timed), {@code GoodBytes} counts the
 * good bytes that went with it, the workload writes on, and the step is measured (layout from the extents,
 * clean free blocks, poison from the media's records, fsck after syncfs, unflagged metadata garbage).
 * {@code DeviceMaps} draws the device from the rmap before and after. A frontend: it may use every layer.
 */
package dev.pmemfs.study;
