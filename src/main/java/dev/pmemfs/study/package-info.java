/**
 * The study: every recovery design run on the same seeded workload on a fresh namespace, measured
 * step by step (fragmentation, PMD-mappable fraction, RDMA scatter-gather entries, clean blocks left,
 * poison left, data destroyed, metadata damaged, privilege, latency), and reported as JSON, CSV,
 * Markdown and an HTML page with charts. A frontend: it drives the recovery strategies through the
 * same paths a user's program takes.
 */
package dev.pmemfs.study;
