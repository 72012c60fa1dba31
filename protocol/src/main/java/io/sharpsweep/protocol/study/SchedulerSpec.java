package io.sharpsweep.protocol.study;

import java.util.Set;

/**
 * The multi-fidelity schedule of a study. {@code none} trains every trial for {@code maxEpochs};
 * the successive-halving family ({@code sha}, {@code asha}, {@code hyperband}, {@code bohb}, {@code
 * mo-asha}) trains in segments between rungs at {@code minEpochs·eta^k} epochs (see {@link
 * FidelityLadder}).
 */
public record SchedulerSpec(String type, Integer minEpochs, Integer maxEpochs, Integer eta) {
  public static final String NONE = "none";

  /** Synchronous successive halving (Jamieson and Talwalkar 2016), brackets of eta^K trials. */
  public static final String SHA = "sha";

  /** Asynchronous successive halving, promotion-based (Li et al. 2020). */
  public static final String ASHA = "asha";

  /** Hyperband (Li et al. 2017): brackets s = K…0, each run as synchronous successive halving. */
  public static final String HYPERBAND = "hyperband";

  /**
   * Hyperband brackets with the sampler fed from the highest rung with enough observations (Falkner
   * et al. 2018).
   */
  public static final String BOHB = "bohb";

  /**
   * ASHA ranking each rung by non-dominated sorting over two objectives, hypervolume contribution
   * breaking ties.
   */
  public static final String MO_ASHA = "mo-asha";

  /** Schedulers that train in segments between rungs. */
  public static final Set<String> MULTI_FIDELITY = Set.of(SHA, ASHA, HYPERBAND, BOHB, MO_ASHA);

  public static final int DEFAULT_MIN_EPOCHS = 1;
  public static final int DEFAULT_ETA = 3;

  public String typeOrDefault() {
    return type == null ? NONE : type;
  }

  /** Whether trials run in segments between rungs (any type but {@code none}). */
  public boolean multiFidelity() {
    return MULTI_FIDELITY.contains(typeOrDefault());
  }

  public int minEpochsOrDefault() {
    return minEpochs == null ? DEFAULT_MIN_EPOCHS : minEpochs;
  }

  public int etaOrDefault() {
    return eta == null ? DEFAULT_ETA : eta;
  }
}
