package io.sharpsweep.worker.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a step rule carries from one iteration to the next, as written into a checkpoint: host
 * numbers (AE-SAM's moments), host integers (RNG states, flags, counters: exact as longs) and
 * tensors (LookSAM's stored direction). Keys are prefixed by the strategy that owns them.
 */
public final class RuleState {
  private final NDManager manager;
  private final Map<String, Double> numbers = new TreeMap<>();
  private final Map<String, Long> integers = new TreeMap<>();
  private final Map<String, NDArray> tensors = new LinkedHashMap<>();

  /**
   * @param manager owns the tensor copies {@link #putTensor} makes (the checkpoint writer's)
   */
  public RuleState(NDManager manager) {
    this.manager = manager;
  }

  /** The state as read back from a checkpoint. */
  public static RuleState of(
      Map<String, Double> numbers, Map<String, Long> integers, NDList tensors) {
    RuleState s = new RuleState(null);
    if (numbers != null) {
      s.numbers.putAll(numbers);
    }
    if (integers != null) {
      s.integers.putAll(integers);
    }
    if (tensors != null) {
      for (NDArray t : tensors) {
        s.tensors.put(t.getName(), t);
      }
    }
    return s;
  }

  public void putNumber(String key, double value) {
    numbers.put(key, value);
  }

  public void putInteger(String key, long value) {
    integers.put(key, value);
  }

  /** Stores a copy of {@code value} (owned by this state's manager), named {@code key}. */
  public void putTensor(String key, NDArray value) {
    NDArray copy = value.duplicate();
    copy.attach(manager);
    copy.setName(key);
    tensors.put(key, copy);
  }

  public double number(String key) {
    Double v = numbers.get(key);
    if (v == null) {
      throw missing(key);
    }
    return v;
  }

  public long integer(String key) {
    Long v = integers.get(key);
    if (v == null) {
      throw missing(key);
    }
    return v;
  }

  public NDArray tensor(String key) {
    NDArray v = tensors.get(key);
    if (v == null) {
      throw missing(key);
    }
    return v;
  }

  public Map<String, Double> numbers() {
    return Collections.unmodifiableMap(numbers);
  }

  public Map<String, Long> integers() {
    return Collections.unmodifiableMap(integers);
  }

  /** The tensors, named by their keys, in insertion order. */
  public NDList tensors() {
    return new NDList(tensors.values().toArray(new NDArray[0]));
  }

  public boolean isEmpty() {
    return numbers.isEmpty() && integers.isEmpty() && tensors.isEmpty();
  }

  private static IllegalStateException missing(String key) {
    return new IllegalStateException("the checkpoint's rule state has no '" + key + "'");
  }
}
