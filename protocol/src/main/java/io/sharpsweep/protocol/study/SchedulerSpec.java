package io.sharpsweep.protocol.study;

/**
 * The multi-fidelity schedule of a study. {@code none} trains every trial for {@code maxEpochs}; the
 * successive-halving family uses {@code minEpochs} and the reduction factor {@code eta}.
 */
public record SchedulerSpec(String type, Integer minEpochs, Integer maxEpochs, Integer eta) {
  public static final String NONE = "none";

  public String typeOrDefault() {
    return type == null ? NONE : type;
  }
}
