package dev.pmemfs.fs;

/**
 * One media failure the filesystem was told of (notify_failure) or found, with the owner the rmap
 * named at the time: which file and offset, or which metadata structure.
 */
public record MediaFailure(long deviceOffset, BlockOwner owner, int mfFlags) {}
