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

  /** The suffix {@link #trialId} appends: {@code -t} and the trial number, 4 to 9 digits. */
  private static final Pattern TRIAL_SUFFIX = Pattern.compile("-t[0-9]{4,9}");

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
    return id != null && STUDY_ID.matcher(id).matches();
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
        && TRIAL_SUFFIX.matcher(trialId.substring(studyId.length())).matches();
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
