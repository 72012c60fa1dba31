package io.sharpsweep.sampler.qmc;

import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.sampler.Sampler;
import io.sharpsweep.sampler.SamplerOptions;
import io.sharpsweep.sampler.Seeds;
import io.sharpsweep.sampler.SuggestContext;
import io.sharpsweep.sampler.space.UnitCubeEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.SobolSequenceGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * Sobol' low-discrepancy sequence (I. M. Sobol', 1967; direction numbers of Joe and Kuo, 2008, as
 * shipped in commons-math3) over every dimension of the space, conditional or not, randomised by a
 * Cranley-Patterson rotation: a uniform shift vector drawn from the seed is added modulo 1 (Cranley
 * and Patterson, SIAM J. Numer. Anal. 13(6), 1976). Each shifted point is still uniform on the
 * cube, so the sampler stays unbiased, and different seeds give different point sets; the
 * one-dimensional projections of the first {@code 2^m} points stay exactly stratified (the
 * two-dimensional net property does not survive an arbitrary shift).
 *
 * <p>The study walks the sequence: the first point of a call has index observations + pending, so
 * asking for 2 points and then for 2 more (with the first 2 pending) yields the same 4 points as
 * asking for 4. A conditional parameter takes its coordinate only when its condition holds.
 *
 * <p>Options: {@code shift} (boolean, default {@code true}): apply the seeded rotation; {@code
 * false} walks the plain sequence, which starts at the corner {@code (0, ..., 0)} (every parameter
 * at {@code low}).
 */
public final class SobolSampler implements Sampler {
  public static final String TYPE = "sobol";

  /** commons-math3 ships direction numbers for this many dimensions. */
  public static final int MAX_DIMENSIONS = 1000;

  private static final long SHIFT_STREAM = -1; // negative: never a history size (see Seeds)

  private final boolean shift;

  public SobolSampler(boolean shift) {
    this.shift = shift;
  }

  public static SobolSampler fromOptions(SamplerOptions options) {
    return new SobolSampler(options.bool("shift", true));
  }

  @Override
  public List<Map<String, Object>> suggest(SuggestContext context, int count) {
    UnitCubeEncoding encoding = context.encoding();
    int dims = encoding.dimensions();
    if (dims > MAX_DIMENSIONS) {
      throw new ValidationException(
          "space.params",
          "sampler 'sobol' supports at most "
              + MAX_DIMENSIONS
              + " parameters, the space has "
              + dims);
    }
    double[] rotation = rotation(context.seed(), dims);
    SobolSequenceGenerator sobol = new SobolSequenceGenerator(dims);
    List<Map<String, Object>> suggestions = new ArrayList<>(count);
    // skipTo(i) returns point i; nextVector() then continues with i + 1.
    double[] point = sobol.skipTo(context.historySize());
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        point = sobol.nextVector();
      }
      double[] u = new double[dims];
      for (int d = 0; d < dims; d++) {
        double shifted = point[d] + rotation[d];
        u[d] = shifted >= 1 ? shifted - 1 : shifted;
      }
      suggestions.add(encoding.decode(u));
    }
    return suggestions;
  }

  /**
   * The shift vector of {@code seed}: fixed for the whole study (it does not depend on the
   * history).
   */
  double[] rotation(long seed, int dims) {
    double[] r = new double[dims];
    if (shift) {
      RandomGenerator random = new Well19937c(Seeds.derive(seed, SHIFT_STREAM));
      for (int d = 0; d < dims; d++) {
        r[d] = random.nextDouble();
      }
    }
    return r;
  }
}
