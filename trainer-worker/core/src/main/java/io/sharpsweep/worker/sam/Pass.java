package io.sharpsweep.worker.sam;

import ai.djl.ndarray.NDArray;

/**
 * What a forward(-backward) pass returns: the mean loss as a host scalar and, when asked for, the
 * per-example losses (detached, owned by the step's manager).
 */
public record Pass(double loss, NDArray perExampleLosses) {}
