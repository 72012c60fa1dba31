package io.sharpsweep.worker.data;

import ai.djl.ndarray.NDManager;
import io.sharpsweep.protocol.study.DatasetSpec;

/**
 * Keeps the last decoded dataset: consecutive segments of a study share it instead of decoding the
 * files again. A worker trains one segment at a time, so one entry is enough; a different spec
 * replaces it.
 */
public final class DatasetCache implements AutoCloseable {
  private final DatasetLoader loader;
  private final NDManager manager;
  private DatasetSpec cachedSpec;
  private TrainingData cached;

  public DatasetCache(DatasetLoader loader, NDManager manager) {
    this.loader = loader;
    this.manager = manager;
  }

  public synchronized TrainingData get(DatasetSpec spec) {
    DatasetSpec key = normalise(spec);
    if (cached != null && key.equals(cachedSpec)) {
      return cached;
    }
    if (cached != null) {
      cached.close();
      cached = null;
      cachedSpec = null;
    }
    cached = loader.load(spec, manager);
    cachedSpec = key;
    return cached;
  }

  private static DatasetSpec normalise(DatasetSpec spec) {
    if (spec == null) {
      return new DatasetSpec(null, null, null, null, null, null);
    }
    return new DatasetSpec(
        spec.name(),
        spec.path() == null || spec.path().isBlank() ? null : spec.path(),
        spec.validationFractionOrDefault(),
        spec.labelNoiseOrDefault(),
        spec.trainLimit(),
        spec.testLimit());
  }

  @Override
  public synchronized void close() {
    if (cached != null) {
      cached.close();
      cached = null;
    }
  }
}
