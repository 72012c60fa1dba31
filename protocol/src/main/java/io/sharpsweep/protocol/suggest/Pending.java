package io.sharpsweep.protocol.suggest;

import java.util.Map;

/**
 * A configuration being evaluated now; samplers avoid proposing it (or its neighbourhood) again.
 */
public record Pending(Map<String, Object> params) {}
