package io.sharpsweep.protocol.api;

import java.util.List;

/**
 * A trial's learning curve: one point per epoch, taken from the latest attempt that reported that
 * epoch.
 */
public record Curve(String studyId, String trialId, List<CurvePoint> points) {}
