package io.sharpsweep.protocol.fidelity;

import io.sharpsweep.protocol.pareto.Hypervolume;
import io.sharpsweep.protocol.pareto.Pareto;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ranks a rung over two objectives (minimisation form): by non-dominated front first (Deb et al.
 * 2002), then within a front by exclusive hypervolume contribution, larger first, then by arrival.
 * The reference point is the rung's own: per objective, the worst value at the rung plus a tenth of
 * the rung's range (plus 1 when every value is the same), see {@link Hypervolume#nadirReference}.
 * Results missing an objective rank last, by arrival.
 */
public final class ParetoRanking implements RungRanking {
  public static final ParetoRanking INSTANCE = new ParetoRanking();

  private ParetoRanking() {}

  @Override
  public List<RungEntry> rank(List<RungEntry> results) {
    List<RungEntry> finite = results.stream().filter(RungEntry::finite).toList();
    double[][] points = new double[finite.size()][];
    for (int i = 0; i < points.length; i++) {
      points[i] = new double[] {finite.get(i).objective(0), finite.get(i).objective(1)};
    }
    List<RungEntry> out = new ArrayList<>(results.size());
    if (points.length > 0) {
      double[] reference = Hypervolume.nadirReference(points, 1.0);
      for (int[] front : Pareto.fronts(points)) {
        double[] contribution = Hypervolume.frontContributions(points, front, reference);
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < front.length; k++) {
          order.add(k);
        }
        order.sort(
            Comparator.<Integer>comparingDouble(k -> -contribution[k])
                .thenComparingLong(k -> finite.get(front[k]).seq()));
        order.forEach(k -> out.add(finite.get(front[k])));
      }
    }
    results.stream()
        .filter(e -> !e.finite())
        .sorted(Comparator.comparingLong(RungEntry::seq))
        .forEach(out::add);
    return out;
  }
}
