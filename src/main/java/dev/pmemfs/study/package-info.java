/**
 * The study: every recovery design run on the same seeded workload on a fresh namespace, measured
 * step by step (fragmentation, PMD-mappable fraction, RDMA scatter-gather entries, clean blocks left,
 * poison left, data destroyed, metadata damaged, privilege, latency), and reported as JSON, CSV,
 * Markdown and an HTML page with charts. A frontend: it drives the recovery strategies through the
 * same paths a user's program takes.
 *
 * <p>The measuring and reporting half is pure, and depends only on the result records
 * ({@link dev.pmemfs.study.StudyResult}, {@code StrategyRun}, {@code StepMetrics}, {@code DeviceMap}):
 * {@code Layout} turns a file's extents into runs, PMD-mappable bytes and RDMA SGEs; {@code Summary}
 * takes a run's headline figures; {@link dev.pmemfs.study.StudyReport} writes {@code results.json},
 * {@code results.csv}, {@code summary.md} and a self-contained {@code report.html} (inline SVG charts,
 * no scripts); {@link dev.pmemfs.study.ProgressBar} shows progress on the terminal. The same result
 * always gives the same bytes.
 */
package dev.pmemfs.study;
