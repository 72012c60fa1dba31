package io.sharpsweep.sampler;

import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.Pending;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.sampler.space.UnitCubeEncoding;
import java.util.List;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * What a {@link Sampler} sees of a validated request: the space (and its unit-cube encoding), the
 * objectives, the observations, the pending points and the seed. Model-based samplers read the
 * history through {@link #observedPoints()}, {@link #pendingPoints()} and {@link
 * #observedLosses()}.
 */
public record SuggestContext(
    SearchSpace space,
    UnitCubeEncoding encoding,
    List<Objective> objectives,
    List<Observation> observations,
    List<Pending> pending,
    long seed) {

  public SuggestContext {
    objectives = List.copyOf(objectives);
    observations = List.copyOf(observations);
    pending = List.copyOf(pending);
  }

  /** The context of a request that passed {@link SuggestRequest#validate()}. */
  public static SuggestContext of(SuggestRequest request) {
    return new SuggestContext(
        request.space(),
        new UnitCubeEncoding(request.space()),
        request.objectives(),
        request.observationsOrEmpty(),
        request.pendingOrEmpty(),
        request.sampler().seedOrDefault());
  }

  /** Observations + pending points: how far the study has got when this call is made. */
  public int historySize() {
    return observations.size() + pending.size();
  }

  /**
   * The seed of this call: the request's seed mixed with {@link #historySize()}, so successive
   * calls of one study draw fresh numbers while a repeated request draws the same ones.
   */
  public long callSeed() {
    return Seeds.derive(seed, historySize());
  }

  /** A new generator seeded with {@link #callSeed()} (each call returns the same stream). */
  public RandomGenerator newRandom() {
    return new Well19937c(callSeed());
  }

  /** The observations as points of the unit cube; inactive parameters are {@link Double#NaN}. */
  public double[][] observedPoints() {
    double[][] points = new double[observations.size()][];
    for (int i = 0; i < points.length; i++) {
      points[i] = encoding.encode(observations.get(i).params());
    }
    return points;
  }

  /** The pending points in the unit cube; inactive parameters are {@link Double#NaN}. */
  public double[][] pendingPoints() {
    double[][] points = new double[pending.size()][];
    for (int i = 0; i < points.length; i++) {
      points[i] = encoding.encode(pending.get(i).params());
    }
    return points;
  }

  /**
   * The observed objective values as losses, {@code [observation][objective]}: maximised objectives
   * are negated so that smaller is better for every column.
   */
  public double[][] observedLosses() {
    double[][] losses = new double[observations.size()][objectives.size()];
    for (int i = 0; i < losses.length; i++) {
      List<Double> values = observations.get(i).values();
      for (int j = 0; j < objectives.size(); j++) {
        double v = values.get(j);
        losses[i][j] = objectives.get(j).goal() == Goal.MAXIMIZE ? -v : v;
      }
    }
    return losses;
  }
}
