package io.sharpsweep.sampler.tpe;

import io.sharpsweep.sampler.space.CategoricalEncoding;
import io.sharpsweep.sampler.space.IntEncoding;
import io.sharpsweep.sampler.space.ParamEncoding;

/**
 * How the Parzen estimator models one dimension of the unit cube: a float is continuous on {@code
 * [0, 1]}, an int is a set of cells (the kernel's mass over a cell is the value's probability), a
 * categorical is a set of choices.
 */
public sealed interface Axis {

  static Axis of(ParamEncoding encoding) {
    if (encoding instanceof IntEncoding i) {
      return new Cells(i);
    }
    if (encoding instanceof CategoricalEncoding c) {
      return new Choices(c.size());
    }
    return new Continuous();
  }

  /** The coordinate that stands for the value {@code u} decodes to (cell or choice centre). */
  double snap(double u);

  /** A float: any coordinate of {@code [0, 1]}. */
  record Continuous() implements Axis {
    @Override
    public double snap(double u) {
      return u < 0 ? 0 : Math.min(u, 1);
    }
  }

  /** An int: coordinates are snapped to the encoded value of their cell. */
  record Cells(IntEncoding encoding) implements Axis {
    @Override
    public double snap(double u) {
      return encoding.encode(encoding.decode(u));
    }

    /** The cell {@code {from, to}} holding the snapped coordinate {@code u}. */
    public double[] cell(double u) {
      return encoding.cell(encoding.decode(u));
    }
  }

  /** A categorical of {@code k} choices: choice {@code i} is the coordinate {@code (i + 0.5)/k}. */
  record Choices(int k) implements Axis {
    public int index(double u) {
      return Math.min(k - 1, Math.max(0, (int) Math.floor(u * k)));
    }

    @Override
    public double snap(double u) {
      return (index(u) + 0.5) / k;
    }
  }
}
