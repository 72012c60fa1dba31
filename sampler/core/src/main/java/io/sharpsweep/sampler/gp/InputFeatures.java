package io.sharpsweep.sampler.gp;

import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.sampler.space.CategoricalEncoding;
import io.sharpsweep.sampler.space.UnitCubeEncoding;
import java.util.Map;

/**
 * The GP's inputs for a point of the unit cube: floats and ints keep their unit coordinate
 * (normalised inputs; an int is relaxed to its continuous coordinate while the acquisition is
 * optimised and snapped to its cell when decoded), a categorical becomes one-hot indicators so that
 * each choice gets its own lengthscale and no order is implied. An inactive parameter is imputed:
 * numeric ones at -0.5, half a range outside every active value, so that the kernel sees the
 * branches of a conditional space as different; categorical ones as all zeros.
 */
public final class InputFeatures {
  static final double INACTIVE = -0.5;

  private final UnitCubeEncoding encoding;
  private final int[] offset; // first feature of each dimension
  private final int[] choices; // 0 for numeric dimensions
  private final int size;
  private final boolean conditional;

  public InputFeatures(UnitCubeEncoding encoding) {
    this.encoding = encoding;
    int dims = encoding.dimensions();
    offset = new int[dims];
    choices = new int[dims];
    int f = 0;
    boolean anyCondition = false;
    for (int d = 0; d < dims; d++) {
      offset[d] = f;
      if (encoding.encoding(d) instanceof CategoricalEncoding c) {
        choices[d] = c.size();
        f += c.size();
      } else {
        f += 1;
      }
      ParamSpec p = encoding.param(d);
      anyCondition |= p.hasCondition();
    }
    size = f;
    conditional = anyCondition;
  }

  public int size() {
    return size;
  }

  /** Whether dimension {@code d} is numeric (optimised continuously). */
  public boolean numeric(int d) {
    return choices[d] == 0;
  }

  /** Features of an encoded point ({@link UnitCubeEncoding#encode}; NaN for inactive). */
  public double[] ofEncoded(double[] point) {
    double[] f = new double[size];
    for (int d = 0; d < point.length; d++) {
      put(f, d, point[d], !Double.isNaN(point[d]));
    }
    return f;
  }

  /**
   * Features of any point of the cube: which parameters are active follows from decoding it (only
   * in a conditional space), numeric coordinates are used as they are.
   */
  public double[] ofRaw(double[] u) {
    double[] f = new double[size];
    Map<String, Object> decoded = conditional ? encoding.decode(u) : null;
    for (int d = 0; d < u.length; d++) {
      boolean active = !conditional || decoded.containsKey(encoding.param(d).name());
      put(f, d, Math.max(0, Math.min(1, u[d])), active);
    }
    return f;
  }

  private void put(double[] f, int d, double u, boolean active) {
    if (choices[d] == 0) {
      f[offset[d]] = active ? u : INACTIVE;
    } else if (active) {
      int k = choices[d];
      f[offset[d] + Math.min(k - 1, Math.max(0, (int) Math.floor(u * k)))] = 1;
    }
  }
}
