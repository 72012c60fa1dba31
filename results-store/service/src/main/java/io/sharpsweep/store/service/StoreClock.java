package io.sharpsweep.store.service;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;

/** The store's clock (every lease deadline is on it); tests may replace it. */
@Singleton
public class StoreClock {
  private volatile Clock clock = Clock.systemUTC();

  public Instant now() {
    return clock.instant();
  }

  /** Uses {@code replacement} from now on (tests move time forward with it). */
  public void use(Clock replacement) {
    this.clock = replacement;
  }
}
