package io.sharpsweep.protocol.fidelity;

import java.util.List;

/** Orders the results of one rung best first; how a scheduler picks its top {@code 1/eta}. */
public interface RungRanking {
  /**
   * @param results the rung's results (no failures), in arrival order
   * @return the same entries, best first; ties keep arrival order
   */
  List<RungEntry> rank(List<RungEntry> results);
}
