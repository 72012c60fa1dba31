package io.sharpsweep.protocol.study;

import java.security.SecureRandom;
import java.util.Locale;

/** Study and trial identifiers: short, sortable by creation time, safe in URLs and file names. */
public final class TrialIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

  private TrialIds() {}

  public static String newStudyId(long nowMillis) {
    StringBuilder id =
        new StringBuilder("st-")
            .append(Long.toString(nowMillis, 36).toLowerCase(Locale.ROOT))
            .append('-');
    for (int i = 0; i < 5; i++) {
      id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }

  public static String trialId(String studyId, int number) {
    return String.format(Locale.ROOT, "%s-t%04d", studyId, number);
  }

  /** A trial's seed: fixed by the study's seed and the trial's number (SplitMix64 finaliser). */
  public static long trialSeed(long studySeed, int number) {
    long z = studySeed + 0x9E3779B97F4A7C15L * (number + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) & Long.MAX_VALUE;
  }
}
