/**
 * fsx-style file-operation sequences for differential tests: the ops
 * ({@link dev.pmemfs.testing.fileops.FileOp}), their answers ({@link dev.pmemfs.testing.fileops.OpResult}),
 * a seeded generator, the in-memory reference model of contents and size
 * ({@link dev.pmemfs.testing.fileops.ModelFile}, fsx's good_buf), and the whole-file state a comparison
 * looks at ({@link dev.pmemfs.testing.fileops.FileState}: size, bytes, SEEK_DATA/SEEK_HOLE runs, per-block
 * hole/data/unwritten map from FIEMAP). Semantics from reference §4.2, §4.4 and §5.
 */
package dev.pmemfs.testing.fileops;
