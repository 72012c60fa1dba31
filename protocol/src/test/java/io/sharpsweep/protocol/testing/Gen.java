package io.sharpsweep.protocol.testing;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A generator of test values drawn from a caller's seeded {@link Random}, so that a generated-input
 * test sends the same requests on every run. Small on purpose: the bad-input tests need choices,
 * ranges, strings from a character range and the edges of the number types.
 */
@FunctionalInterface
public interface Gen<T> {
  T next(Random random);

  default <R> Gen<R> map(Function<? super T, ? extends R> f) {
    return r -> f.apply(next(r));
  }

  /** One of {@code values}, uniformly. */
  @SafeVarargs
  static <T> Gen<T> of(T... values) {
    List<T> list = List.of(values);
    return r -> list.get(r.nextInt(list.size()));
  }

  /** A value of one of {@code gens}, each chosen with equal probability. */
  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    return r -> gens[r.nextInt(gens.length)].next(r);
  }

  /** An int in {@code [min, max]}; a quarter of the draws are one of the two edges. */
  static Gen<Integer> ints(int min, int max) {
    return r -> {
      int edge = r.nextInt(8);
      if (edge == 0) {
        return min;
      }
      if (edge == 1) {
        return max;
      }
      return (int) (min + (long) (r.nextDouble() * ((long) max - min + 1)));
    };
  }

  /** Any long, with the edges and small values drawn often. */
  static Gen<Long> longs() {
    return r ->
        switch (r.nextInt(6)) {
          case 0 -> Long.MIN_VALUE;
          case 1 -> Long.MAX_VALUE;
          case 2 -> (long) r.nextInt(21) - 10;
          default -> r.nextLong();
        };
  }

  /** Any finite double, with the edges, zeros and subnormals drawn often. */
  static Gen<Double> doubles() {
    return r ->
        switch (r.nextInt(8)) {
          case 0 -> Double.MAX_VALUE;
          case 1 -> -Double.MAX_VALUE;
          case 2 -> Double.MIN_VALUE;
          case 3 -> -0.0;
          case 4 -> (r.nextDouble() - 0.5) * 20;
          default -> finite(r);
        };
  }

  private static double finite(Random r) {
    double d;
    do {
      d = Double.longBitsToDouble(r.nextLong());
    } while (!Double.isFinite(d));
    return d;
  }

  /** A string of {@code [minLength, maxLength]} characters from {@code [from, to]}. */
  static Gen<String> chars(char from, char to, int minLength, int maxLength) {
    return r -> {
      int n = minLength + r.nextInt(maxLength - minLength + 1);
      StringBuilder b = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        b.append((char) (from + r.nextInt(to - from + 1)));
      }
      return b.toString();
    };
  }

  /** ASCII letters. */
  static Gen<String> alpha(int minLength, int maxLength) {
    return r -> {
      int n = minLength + r.nextInt(maxLength - minLength + 1);
      StringBuilder b = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        int c = r.nextInt(52);
        b.append((char) (c < 26 ? 'a' + c : 'A' + c - 26));
      }
      return b.toString();
    };
  }

  /**
   * Any UTF-16 text: printable ASCII, control characters, other planes' code points and lone
   * surrogates.
   */
  static Gen<String> anyChars(int minLength, int maxLength) {
    return r -> {
      int n = minLength + r.nextInt(maxLength - minLength + 1);
      StringBuilder b = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        switch (r.nextInt(5)) {
          case 0 -> b.append((char) r.nextInt(0x20));
          case 1 -> b.append((char) (0xD800 + r.nextInt(0x800))); // a lone surrogate
          case 2 -> b.appendCodePoint(0x10000 + r.nextInt(0xFFFFF));
          case 3 -> b.append((char) r.nextInt(0xD800));
          default -> b.append((char) (0x20 + r.nextInt(0x5F)));
        }
      }
      return b.toString();
    };
  }
}
