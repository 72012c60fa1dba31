package io.sharpsweep.protocol.api;

import java.util.Map;

/** One trial on the front: its values of the two metrics at {@code epoch}. */
public record ParetoPoint(
    String trialId,
    Integer number,
    String state,
    int attempt,
    int epoch,
    double x,
    double y,
    Map<String, Object> params) {}
