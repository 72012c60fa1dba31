package io.sharpsweep.worker.config;

/**
 * A variant-specific knob as documented: its name (as in {@code TrainingCatalog.KNOBS}), its
 * default and the rule a value must satisfy.
 */
public record KnobSpec(String name, String defaultValue, String rule) {}
