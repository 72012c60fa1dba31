package io.sharpsweep.protocol.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.messages.RungDecision.Action;
import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.SchedulerSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-worked runs of the cores on the ladder 1, 3, 9 epochs (eta 3). */
class SchedulerCoresTest {
  private long seq;

  private static FidelityLadder ladder(String type, int trials) {
    return FidelityLadder.of(new SchedulerSpec(type, 1, 9, 3), trials);
  }

  private List<Verdict> arrive(
      FidelityLadder ladder,
      FidelityState state,
      String trial,
      int bracket,
      int rung,
      double... values) {
    return decide(ladder, state, RungEntry.result(trial, bracket, rung, ++seq, 1, values));
  }

  /** What the ladder's schedule decides about one arrival. */
  private static List<Verdict> decide(FidelityLadder ladder, FidelityState state, RungEntry e) {
    return ladder.schedule().onResult(ladder, state, e);
  }

  private static String show(List<Verdict> verdicts) {
    List<String> out = new ArrayList<>();
    for (Verdict v : verdicts) {
      out.add(
          v.action().wireName()
              + " "
              + v.trialId()
              + "@"
              + v.rung()
              + (v.toEpoch() == null ? "" : "->" + v.toEpoch()));
    }
    return String.join(", ", out);
  }

  @Test
  void synchronousHalvingWaitsForTheWholeRungThenPromotesTheTopThird() {
    FidelityLadder sha = ladder("sha", 9); // one bracket of 3^2 = 9 trials
    FidelityState s = new FidelityState();
    double[] rung0 = {5, 3, 8, 1, 9, 2, 7, 4, 6};
    for (int i = 0; i < 8; i++) {
      assertThat(show(arrive(sha, s, "t" + i, 0, 0, rung0[i]))).isEqualTo("park t" + i + "@0");
    }
    // The ninth arrival completes rung 0: floor(9/3) = 3 best go on (t3: 1, t5: 2, t1: 3), t8
    // parks.
    assertThat(show(arrive(sha, s, "t8", 0, 0, rung0[8])))
        .isEqualTo("promote t3@0->3, promote t5@0->3, promote t1@0->3, park t8@0");
    assertThat(s.promotedFrom(0, 0)).isEqualTo(3);
    // Rung 1 results in another order than promoted; the last of the three decides: max(1,
    // floor(3/3)) = 1.
    assertThat(show(arrive(sha, s, "t5", 0, 1, 0.5))).isEqualTo("park t5@1");
    assertThat(show(arrive(sha, s, "t1", 0, 1, 0.2))).isEqualTo("park t1@1");
    assertThat(show(arrive(sha, s, "t3", 0, 1, 0.7))).isEqualTo("promote t1@1->9, park t3@1");
    assertThat(show(arrive(sha, s, "t1", 0, 2, 0.1))).isEqualTo("complete t1@2");
    assertThat(s.rung(0, 0)).hasSize(9);
    assertThat(s.rung(0, 1)).extracting(RungEntry::trialId).containsExactly("t5", "t1", "t3");
    assertThat(s.rung(0, 2)).extracting(RungEntry::trialId).containsExactly("t1");
  }

  @Test
  void aPermanentFailureCountsAsArrivedButNeverRanks() {
    FidelityLadder sha = ladder("sha", 9);
    FidelityState s = new FidelityState();
    double[] rung0 = {5, 3, 8, 1, 9, 2, 7, 4};
    for (int i = 0; i < 8; i++) {
      arrive(sha, s, "t" + i, 0, 0, rung0[i]);
    }
    // t8 failed for good: the rung is complete with 8 results, floor(8/3) = 2 go on, and t8 gets no
    // verdict.
    List<Verdict> v = decide(sha, s, RungEntry.failure("t8", 0, 0, ++seq, 3));
    assertThat(show(v)).isEqualTo("promote t3@0->3, promote t5@0->3");
    // A failure at rung 1 lets the rung decide with the one result there.
    arrive(sha, s, "t5", 0, 1, 0.9);
    assertThat(show(decide(sha, s, RungEntry.failure("t3", 0, 1, ++seq, 2))))
        .isEqualTo("promote t5@1->9");
  }

  @Test
  void ashaPromotesWhenASlotFreesPossiblyAnotherTrialThanTheArrivingOne() {
    FidelityLadder asha = ladder("asha", 100);
    FidelityState s = new FidelityState();
    assertThat(show(arrive(asha, s, "t0", 0, 0, 5)))
        .isEqualTo("park t0@0"); // n0 = 1: floor(1/3) = 0 candidates
    assertThat(show(arrive(asha, s, "t1", 0, 0, 3))).isEqualTo("park t1@0");
    // n0 = 3: the top third is t1, parked until now; it resumes, t2 parks.
    assertThat(show(arrive(asha, s, "t2", 0, 0, 8))).isEqualTo("promote t1@0->3, park t2@0");
    // n0 = 4, top 1 is t3 itself.
    assertThat(show(arrive(asha, s, "t3", 0, 0, 1))).isEqualTo("promote t3@0->3");
    assertThat(show(arrive(asha, s, "t4", 0, 0, 9)))
        .isEqualTo("park t4@0"); // top 1 (t3) already promoted
    assertThat(show(arrive(asha, s, "t1", 0, 1, 2))).isEqualTo("park t1@1"); // n1 = 1
    assertThat(show(arrive(asha, s, "t5", 0, 0, 2)))
        .isEqualTo("promote t5@0->3"); // n0 = 6: top 2 = t3, t5
    assertThat(show(arrive(asha, s, "t3", 0, 1, 0.5))).isEqualTo("park t3@1");
    // n1 = 3: rung 1 is looked at first (highest rung first); its top third is t3, parked at rung
    // 1.
    assertThat(show(arrive(asha, s, "t5", 0, 1, 4))).isEqualTo("promote t3@1->9, park t5@1");
    assertThat(show(arrive(asha, s, "t3", 0, 2, 0.1))).isEqualTo("complete t3@2");
    // Occupancy: rung 0 holds 6 (t1, t3, t5 promoted), rung 1 holds 3 (t3 promoted), rung 2 holds
    // 1.
    assertThat(s.rung(0, 0)).hasSize(6);
    assertThat(s.promotedFrom(0, 0)).isEqualTo(3);
    assertThat(s.promotedFrom(0, 1)).isEqualTo(1);
    assertThat(s.rung(0, 2)).hasSize(1);
  }

  @Test
  void ashaDependsOnTheOrderOfArrival() {
    FidelityLadder asha = ladder("asha", 100);
    FidelityState s = new FidelityState();
    // The best arrives first but is promoted only when the rung holds three results, by the third
    // arrival.
    assertThat(show(arrive(asha, s, "t3", 0, 0, 1))).isEqualTo("park t3@0");
    assertThat(show(arrive(asha, s, "t0", 0, 0, 5))).isEqualTo("park t0@0");
    assertThat(show(arrive(asha, s, "t1", 0, 0, 3))).isEqualTo("promote t3@0->3, park t1@0");
    // A failure frees a slot too, but adds no result: n0 stays 3.
    assertThat(show(decide(asha, s, RungEntry.failure("t9", 0, 0, ++seq, 3)))).isEmpty();
    // A missing metric ranks last.
    assertThat(show(arrive(asha, s, "t4", 0, 0, Double.NaN))).isEqualTo("park t4@0");
    assertThat(show(arrive(asha, s, "t5", 0, 0, 4))).isEqualTo("park t5@0"); // n0 = 5, top 1 = t3
    assertThat(show(arrive(asha, s, "t6", 0, 0, 6)))
        .isEqualTo("promote t1@0->3, park t6@0"); // n0 = 6, top 2 = t3, t1
  }

  @Test
  void aStateRebuiltFromItsEntriesDecidesLikeTheLiveOne() {
    FidelityLadder asha = ladder("asha", 100);
    FidelityState live = new FidelityState();
    double[] values = {5, 3, 8, 1, 9};
    for (int i = 0; i < values.length; i++) {
      arrive(asha, live, "t" + i, 0, 0, values[i]);
    }
    // What the store writes and reads back: every entry with its promoted flag, in any order.
    List<RungEntry> rows = new ArrayList<>();
    for (RungEntry e : live.entries()) {
      rows.add(
          0,
          new RungEntry(
              e.trialId(),
              e.bracket(),
              e.rung(),
              e.seq(),
              e.attempt(),
              e.objectives(),
              e.failed(),
              e.promoted()));
    }
    FidelityState restarted = FidelityState.of(rows);
    long next = ++seq;
    List<Verdict> a = decide(asha, live, RungEntry.result("t5", 0, 0, next, 1, 2));
    List<Verdict> b = decide(asha, restarted, RungEntry.result("t5", 0, 0, next, 1, 2));
    assertThat(b).isEqualTo(a);
    assertThat(show(a)).isEqualTo("promote t5@0->3");
    assertThatThrownBy(() -> restarted.add(RungEntry.result("t5", 0, 0, 99, 1, 1)))
        .hasMessageContaining("already has an entry at rung 0");
  }

  @Test
  void hyperbandRunsEachBracketAsSynchronousHalvingFromItsOwnFirstRung() {
    // K = 2: brackets s = 2 (9 trials from rung 0), s = 1 (ceil(3·3/2) = 5 from rung 1), s = 0 (3
    // straight to rung 2).
    FidelityLadder l = ladder("hyperband", 17);
    FidelityLadder hb = l;
    FidelityState s = new FidelityState();
    assertThat(l.bracketOf(9).minRung()).isEqualTo(1);
    assertThat(l.bracketOf(14).minRung()).isEqualTo(2);
    // Bracket 2 trials complete on arrival.
    assertThat(show(arrive(hb, s, "t14", 2, 2, 0.3))).isEqualTo("complete t14@2");
    // Bracket 1: five results at rung 1; the fifth decides, max(1, floor(5/3)) = 1 goes on.
    double[] b1 = {0.9, 0.4, 0.6, 0.8, 0.5};
    for (int i = 0; i < 4; i++) {
      assertThat(show(arrive(hb, s, "t" + (9 + i), 1, 1, b1[i])))
          .isEqualTo("park t" + (9 + i) + "@1");
    }
    // Bracket 0's rung-0 results meanwhile do not count for bracket 1.
    for (int i = 0; i < 8; i++) {
      arrive(hb, s, "t" + i, 0, 0, 10 + i);
    }
    assertThat(show(arrive(hb, s, "t13", 1, 1, b1[4]))).isEqualTo("promote t10@1->9, park t13@1");
    assertThat(show(arrive(hb, s, "t8", 0, 0, 1)))
        .isEqualTo("promote t8@0->3, promote t0@0->3, promote t1@0->3");
    assertThatThrownBy(() -> arrive(hb, s, "t15", 2, 1, 1))
        .hasMessageContaining("starts at rung 2");
  }

  @Test
  void moAshaRanksARungByFrontsThenHypervolumeContribution() {
    // A(1,5) B(2,2) C(5,1) D(3,3) E(4,4) F(2,6) (minimised).
    List<RungEntry> rung = new ArrayList<>();
    String[] names = {"A", "B", "C", "D", "E", "F"};
    double[][] p = {{1, 5}, {2, 2}, {5, 1}, {3, 3}, {4, 4}, {2, 6}};
    for (int i = 0; i < p.length; i++) {
      rung.add(RungEntry.result(names[i], 0, 0, i + 1, 1, p[i]));
    }
    rung.add(RungEntry.result("G", 0, 0, 7, 1, 0.5, Double.NaN));
    // Front 1 {A, B, C}: contributions 1.5, 9, 0.4 against (5.4, 6.5); front 2 {F, D}: 0.5, 7.2;
    // then E; G last.
    assertThat(ParetoRanking.INSTANCE.rank(rung))
        .extracting(RungEntry::trialId)
        .containsExactly("B", "A", "C", "D", "F", "E", "G");
    assertThat(ScalarRanking.INSTANCE.rank(rung))
        .extracting(RungEntry::trialId)
        .containsExactly("G", "A", "B", "F", "D", "E", "C");

    FidelityLadder mo = FidelityLadder.of(new SchedulerSpec("mo-asha", 1, 9, 3), 100);
    FidelityState s = new FidelityState();
    assertThat(show(arrive(mo, s, "A", 0, 0, 1, 5))).isEqualTo("park A@0");
    assertThat(show(arrive(mo, s, "B", 0, 0, 2, 2))).isEqualTo("park B@0");
    // n = 3: A, B, C are all on the front; B has the largest contribution (9 against 0.4 and 0.4).
    assertThat(show(arrive(mo, s, "C", 0, 0, 5, 1))).isEqualTo("promote B@0->3, park C@0");
    assertThat(show(arrive(mo, s, "D", 0, 0, 3, 3))).isEqualTo("park D@0");
    assertThat(show(arrive(mo, s, "E", 0, 0, 4, 4))).isEqualTo("park E@0");
    assertThat(show(arrive(mo, s, "F", 0, 0, 2, 6)))
        .isEqualTo("promote A@0->3, park F@0"); // n = 6: top 2 = B, A
  }

  @Test
  void noneCompletesAtTheOnlyRung() {
    FidelityLadder none = FidelityLadder.of(new SchedulerSpec("none", null, 9, null), 4);
    FidelityState s = new FidelityState();
    assertThat(show(arrive(none, s, "t0", 0, 0, 0.3))).isEqualTo("complete t0@0");
    assertThat(decide(none, s, RungEntry.failure("t1", 0, 0, ++seq, 2))).isEmpty();
    assertThat(s.rung(0, 0)).hasSize(2);
    assertThat(Action.values()).contains(Action.COMPLETE);
  }
}
