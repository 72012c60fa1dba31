package io.sharpsweep.protocol.study;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/** Study and trial identifiers: short, sortable by creation time, safe in URLs and file names. */
public final class TrialIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

  /** Longest study or trial id the store keeps ({@code VARCHAR(200)}). */
  public static final int MAX_ID = 200;

  /**
   * The study id grammar: 1 to {@link #MAX_ID} letters, digits, '.', '_' or '-' (the ids this class
   * makes, and those a client may choose when it creates a study through the store's control API).
   */
  public static final Pattern STUDY_ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_ID + "}");

  /** What {@link #STUDY_ID} allows, in words, for error messages. */
  public static final String STUDY_ID_RULE =
      "must be 1 to " + MAX_ID + " characters of letters, digits, '.', '_' or '-'";

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

  /** Whether {@code id} is a study id by {@link #STUDY_ID}. */
  public static boolean isStudyId(String id) {
    // what STUDY_ID matches, without a matcher: every record a store reads is checked with it
    if (id == null || id.isEmpty() || id.length() > MAX_ID) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char ch = id.charAt(i);
      boolean ok =
          (ch >= 'a' && ch <= 'z')
              || (ch >= 'A' && ch <= 'Z')
              || (ch >= '0' && ch <= '9')
              || ch == '.'
              || ch == '_'
              || ch == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code trialId} is an id {@link #trialId} gives a trial of {@code studyId}: the study
   * id, {@code -t} and a number of 4 to 9 digits, at most {@link #MAX_ID} characters in all.
   */
  public static boolean isTrialIdOf(String studyId, String trialId) {
    return isStudyId(studyId)
        && trialId != null
        && trialId.length() <= MAX_ID
        && trialId.startsWith(studyId)
        && isTrialSuffix(trialId, studyId.length());
  }

  /**
   * Whether {@code id} from {@code from} on is the suffix {@link #trialId} appends: {@code -t} and
   * the trial number, 4 to 9 ASCII digits.
   */
  private static boolean isTrialSuffix(String id, int from) {
    int digits = id.length() - from - 2;
    if (digits < 4 || digits > 9 || id.charAt(from) != '-' || id.charAt(from + 1) != 't') {
      return false;
    }
    for (int i = from + 2; i < id.length(); i++) {
      if (id.charAt(i) < '0' || id.charAt(i) > '9') {
        return false;
      }
    }
    return true;
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
