package io.sharpsweep.protocol.suggest;

import java.util.List;
import java.util.Map;

/**
 * A finished evaluation: its parameters and one value per objective, in the request's objective
 * order.
 */
public record Observation(Map<String, Object> params, List<Double> values) {}
