package io.sharpsweep.store.control;

import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.Pending;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import java.util.List;
import java.util.Map;

/**
 * What a study's sampler is asked for its next trials, shared by the store and the in-memory
 * simulation: the observations of one rung — the highest with at least {@code 10·(d + 1)} of them,
 * else the fullest ({@link FidelityLadder#modelRung}; for {@code none}, the completed trials) — the
 * configurations of the active segments as pending points, and for a multi-fidelity study the
 * sampler's seed keyed by the trials created so far ({@link SamplerSpec#reseeded}), because one
 * rung's observation count can go down when the model rung moves up and the sampler must not replay
 * its draws.
 */
public final class SuggestPlan {
  private SuggestPlan() {}

  /**
   * The request for {@code wanted} trials.
   *
   * @param byRung every rung's observations, one per trial, in arrival order
   */
  public static SuggestRequest request(
      SearchSpace space,
      List<Objective> objectives,
      SamplerSpec sampler,
      FidelityLadder ladder,
      List<? extends Map<String, Observation>> byRung,
      List<Pending> pending,
      int created,
      int wanted) {
    SamplerSpec seeded = ladder.multiFidelity() ? sampler.reseeded(created) : sampler;
    return new SuggestRequest(
        space,
        objectives,
        seeded,
        modelObservations(byRung, space.params().size()),
        pending,
        wanted);
  }

  /** The observations of the rung the sampler learns from; empty while no rung has any. */
  public static List<Observation> modelObservations(
      List<? extends Map<String, Observation>> byRung, int dimensions) {
    int[] counts = byRung.stream().mapToInt(Map::size).toArray();
    int rung = FidelityLadder.modelRung(counts, dimensions);
    return rung < 0 ? List.of() : List.copyOf(byRung.get(rung).values());
  }
}
