package io.sharpsweep.store.control;

/** An epoch whose checkpoint is written, and where ({@code uri} may be null for a fresh start). */
public record Checkpoint(int epoch, String uri) {}
