package dev.pmemfs.media;

/** A range of media poison (namespace byte offsets, clear-unit aligned) and whether the platform knows it. */
public record PoisonRange(ByteRange range, boolean known) {}
