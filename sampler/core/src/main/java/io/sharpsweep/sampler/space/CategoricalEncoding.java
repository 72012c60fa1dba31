package io.sharpsweep.sampler.space;

import io.sharpsweep.protocol.space.Values;
import java.util.List;

/**
 * One of {@code choices}, by index: the unit interval is cut into equal bins, one per choice.
 * Decoding returns the choice object itself (the same String, Number or Boolean the space
 * declared).
 */
public record CategoricalEncoding(List<Object> choices) implements ParamEncoding {

  public CategoricalEncoding {
    choices = List.copyOf(choices);
  }

  @Override
  public Object decode(double u) {
    return choices.get(indexOf(u));
  }

  /** Index of the choice that coordinate {@code u} selects. */
  public int indexOf(double u) {
    int k = choices.size();
    return Math.min(k - 1, (int) Math.floor(ParamEncoding.clampUnit(u) * k));
  }

  @Override
  public double encode(Object value) {
    for (int i = 0; i < choices.size(); i++) {
      if (Values.same(choices.get(i), value)) {
        return (i + 0.5) / choices.size();
      }
    }
    throw new IllegalArgumentException("value " + value + " is not one of " + choices);
  }

  public int size() {
    return choices.size();
  }
}
