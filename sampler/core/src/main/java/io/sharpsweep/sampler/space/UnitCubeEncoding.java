package io.sharpsweep.sampler.space;

import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A search space as the unit hypercube {@code [0, 1]^d}: one dimension per parameter, in the order
 * the space declares them, whether or not the parameter is conditional.
 *
 * <p>A point of the cube becomes an assignment by walking the parameters parents-first and decoding
 * only those whose condition holds; the coordinates of inactive parameters are ignored. The other
 * way, an assignment becomes a point whose inactive (absent) parameters are {@link Double#NaN},
 * which is how model-based samplers see missing values.
 */
public final class UnitCubeEncoding {
  private final SearchSpace space;
  private final List<ParamSpec> params;
  private final List<ParamSpec> parentsFirst;
  private final List<ParamEncoding> encodings;
  private final Map<String, Integer> dimensionOf;

  /** {@code space} must be valid ({@link SearchSpace#validate(String)} returned no errors). */
  public UnitCubeEncoding(SearchSpace space) {
    this.space = space;
    this.params = space.params();
    this.parentsFirst = space.topologicalOrder();
    List<ParamEncoding> enc = new ArrayList<>(params.size());
    Map<String, Integer> dims = new HashMap<>();
    for (int i = 0; i < params.size(); i++) {
      enc.add(ParamEncoding.of(params.get(i)));
      dims.put(params.get(i).name(), i);
    }
    this.encodings = List.copyOf(enc);
    this.dimensionOf = Map.copyOf(dims);
  }

  public SearchSpace space() {
    return space;
  }

  public int dimensions() {
    return params.size();
  }

  /** The parameter of dimension {@code d} (the space's declaration order). */
  public ParamSpec param(int d) {
    return params.get(d);
  }

  public ParamEncoding encoding(int d) {
    return encodings.get(d);
  }

  /** The dimension of parameter {@code name}, or -1. */
  public int dimensionOf(String name) {
    return dimensionOf.getOrDefault(name, -1);
  }

  /**
   * The assignment of point {@code u}: every parameter whose condition holds, in declaration order.
   * Ints are {@link Long}, floats {@link Double}, categoricals the declared choice object.
   */
  public Map<String, Object> decode(double[] u) {
    if (u.length != params.size()) {
      throw new IllegalArgumentException(
          "point has " + u.length + " coordinates, the space " + params.size() + " dimensions");
    }
    Map<String, Object> assigned = new HashMap<>();
    for (ParamSpec p : parentsFirst) {
      if (space.isActive(p, assigned)) {
        int d = dimensionOf.get(p.name());
        assigned.put(p.name(), encodings.get(d).decode(u[d]));
      }
    }
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (ParamSpec p : params) {
      Object value = assigned.get(p.name());
      if (value != null) {
        ordered.put(p.name(), value);
      }
    }
    return Collections.unmodifiableMap(ordered);
  }

  /**
   * The point of a legal assignment (one that {@link SearchSpace#checkAssignment} accepts): floats
   * at their coordinate, ints and categoricals at the centre of their value's cell, absent
   * (inactive) parameters as {@link Double#NaN}.
   */
  public double[] encode(Map<String, Object> assignment) {
    double[] u = new double[params.size()];
    for (int d = 0; d < u.length; d++) {
      Object value = assignment.get(params.get(d).name());
      u[d] = value == null ? Double.NaN : encodings.get(d).encode(value);
    }
    return u;
  }
}
