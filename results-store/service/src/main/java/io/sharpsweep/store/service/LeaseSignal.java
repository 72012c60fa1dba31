package io.sharpsweep.store.service;

import jakarta.inject.Singleton;

/**
 * Wakes waiting lease requests when this replica queued a segment; a generation counter makes a
 * wake-up between a request's look at the queue and its wait impossible to miss.
 */
@Singleton
public class LeaseSignal {
  private long generation;

  public synchronized long generation() {
    return generation;
  }

  public synchronized void wake() {
    generation++;
    notifyAll();
  }

  /** Waits until a wake-up after {@code seen}, or {@code millis}; false if interrupted. */
  public synchronized boolean await(long seen, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    try {
      while (generation == seen) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          return true;
        }
        wait(left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
