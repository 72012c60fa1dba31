package io.sharpsweep.protocol.study;

/**
 * How much a study may spend: {@code trials} trials in all, at most {@code parallelism} segments in
 * flight, each trial tried at most {@code maxAttempts} times before it is marked failed.
 */
public record Budget(Integer trials, Integer parallelism, Integer maxAttempts) {
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  public int maxAttemptsOrDefault() {
    return maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts;
  }
}
