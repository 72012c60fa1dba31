package io.sharpsweep.protocol.suggest;

import java.util.Map;

/** One proposed configuration. */
public record Suggestion(Map<String, Object> params) {}
