package io.sharpsweep.protocol.fidelity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a multi-fidelity scheduler knows about one study: the entries of every rung of every
 * bracket. The store rebuilds it from {@code rung_results} for each decision and writes back what
 * changed (the new entry and the promoted flags), so the decisions survive a restart; the benchmark
 * keeps one in memory.
 */
public final class FidelityState {
  private final Map<Integer, Map<Integer, List<RungEntry>>> byBracket = new TreeMap<>();
  private final Map<String, Map<Integer, RungEntry>> byTrial = new HashMap<>();
  private long lastSeq;

  public FidelityState() {}

  /** A state holding {@code entries} (in any order; each rung is kept in arrival order). */
  public static FidelityState of(List<RungEntry> entries) {
    FidelityState state = new FidelityState();
    entries.stream().sorted(Comparator.comparingLong(RungEntry::seq)).forEach(state::add);
    return state;
  }

  /**
   * Adds an entry. A trial has at most one entry per rung.
   *
   * @throws IllegalStateException if the trial already has an entry at that rung
   */
  public void add(RungEntry e) {
    Map<Integer, RungEntry> rungs = byTrial.computeIfAbsent(e.trialId(), t -> new TreeMap<>());
    if (rungs.containsKey(e.rung())) {
      throw new IllegalStateException(
          "trial " + e.trialId() + " already has an entry at rung " + e.rung());
    }
    rungs.put(e.rung(), e);
    List<RungEntry> rung =
        byBracket
            .computeIfAbsent(e.bracket(), b -> new TreeMap<>())
            .computeIfAbsent(e.rung(), r -> new ArrayList<>());
    int at = rung.size();
    while (at > 0 && rung.get(at - 1).seq() > e.seq()) {
      at--; // entries mostly come in arrival order: the common case appends
    }
    rung.add(at, e);
    lastSeq = Math.max(lastSeq, e.seq());
  }

  /** The entries of one rung of one bracket, in arrival order. */
  public List<RungEntry> rung(int bracket, int rung) {
    return List.copyOf(byBracket.getOrDefault(bracket, Map.of()).getOrDefault(rung, List.of()));
  }

  public Optional<RungEntry> entry(String trialId, int rung) {
    return Optional.ofNullable(byTrial.getOrDefault(trialId, Map.of()).get(rung));
  }

  /** The trial's entry at the highest rung it reached. */
  public Optional<RungEntry> latest(String trialId) {
    Map<Integer, RungEntry> rungs = byTrial.get(trialId);
    return rungs == null || rungs.isEmpty()
        ? Optional.empty()
        : Optional.of(((TreeMap<Integer, RungEntry>) rungs).lastEntry().getValue());
  }

  public List<Integer> brackets() {
    return List.copyOf(byBracket.keySet());
  }

  /** Every entry, by bracket, rung and arrival. */
  public List<RungEntry> entries() {
    List<RungEntry> out = new ArrayList<>();
    byBracket.values().forEach(rungs -> rungs.values().forEach(out::addAll));
    return out;
  }

  /** How many trials of the bracket were promoted from {@code rung}. */
  public int promotedFrom(int bracket, int rung) {
    return (int) rung(bracket, rung).stream().filter(RungEntry::promoted).count();
  }

  /** The highest arrival number seen, for callers that number entries themselves. */
  public long lastSeq() {
    return lastSeq;
  }
}
