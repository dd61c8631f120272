/**
 * Differential tests of pmemfs's non-poison file semantics against real XFS on a loop device (issue
 * #3, item 5): the same seeded op sequence runs on both and on the reference model, and every answer
 * and periodic whole-file state must agree. Only where Linux XFS differs for page-cache (non-DAX)
 * reasons is XFS normalized, in {@code testing.xfs}; pmemfs is never normalized.
 */
package dev.pmemfs.differential;
