package io.sharpsweep.store.control;

import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.Pending;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a study's sampler is asked for its next trials, shared by the store and the in-memory
 * simulation: the observations of one rung — the highest with at least {@code 10·(d + 1)} of them,
 * else the fullest ({@link FidelityLadder#modelRung}; for {@code none}, the completed trials) — the
 * configurations of the active segments as pending points, and for a multi-fidelity study the
 * sampler's seed keyed by the trials created so far ({@link SamplerSpec#reseeded}), because one
 * rung's observation count can go down when the model rung moves up and the sampler must not replay
 * its draws. A warm-started study's observations are preceded by those of the study it starts from
 * ({@link #warmStart}).
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

  /**
   * The request for {@code wanted} trials of a warm-started study: {@code prior} (another study's
   * completed trials, {@link #warmStart}) come before this study's own observations.
   */
  public static SuggestRequest request(
      SearchSpace space,
      List<Objective> objectives,
      SamplerSpec sampler,
      FidelityLadder ladder,
      List<? extends Map<String, Observation>> byRung,
      List<Observation> prior,
      List<Pending> pending,
      int created,
      int wanted) {
    SuggestRequest own =
        request(space, objectives, sampler, ladder, byRung, pending, created, wanted);
    if (prior.isEmpty()) {
      return own;
    }
    List<Observation> all = new ArrayList<>(prior);
    all.addAll(own.observations());
    return new SuggestRequest(
        own.space(), own.objectives(), own.sampler(), all, own.pending(), own.count());
  }

  /**
   * Another study's completed trials as observations of {@code space}: each trial's parameters
   * restricted to the space's, and a trial whose restriction is not a legal assignment of the space
   * (a value outside a range, a parameter the space needs and the trial lacks) skipped; at most
   * {@code max}, in the order given.
   */
  public static List<Observation> warmStart(
      SearchSpace space, List<Observation> completed, int max) {
    List<Observation> out = new ArrayList<>();
    for (Observation o : completed) {
      if (out.size() == max) {
        break;
      }
      Map<String, Object> params = new LinkedHashMap<>();
      // Parents first, so that a parameter inactive under this space's conditions is dropped
      // rather than held against the trial.
      for (ParamSpec p : space.topologicalOrder()) {
        if (o.params().containsKey(p.name()) && space.isActive(p, params)) {
          params.put(p.name(), o.params().get(p.name()));
        }
      }
      if (space.checkAssignment(params, "").isEmpty()) {
        out.add(new Observation(params, o.values()));
      }
    }
    return out;
  }

  /** The observations of the rung the sampler learns from; empty while no rung has any. */
  public static List<Observation> modelObservations(
      List<? extends Map<String, Observation>> byRung, int dimensions) {
    int[] counts = byRung.stream().mapToInt(Map::size).toArray();
    int rung = FidelityLadder.modelRung(counts, dimensions);
    return rung < 0 ? List.of() : List.copyOf(byRung.get(rung).values());
  }
}
