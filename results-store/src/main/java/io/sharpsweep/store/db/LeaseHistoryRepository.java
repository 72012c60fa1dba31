package io.sharpsweep.store.db;

import io.sharpsweep.store.control.LeaseOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * SQL of the {@code segment_leases} history; the caller owns the connection and its transaction.
 */
public final class LeaseHistoryRepository {

  public void granted(Connection c, SegmentRow s, LeaseGrant g) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO segment_leases (lease_id, segment_id, study_id, trial_id, attempt, worker_id, granted_at, from_epoch)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, g.leaseId());
      ps.setLong(2, s.id());
      ps.setString(3, s.studyId());
      ps.setString(4, s.trialId());
      ps.setInt(5, s.attempt());
      ps.setString(6, g.workerId());
      Columns.setInstant(ps, 7, g.now());
      ps.setInt(8, s.fromEpoch());
      ps.executeUpdate();
    }
  }

  /** Ends a lease that is still open; returns whether it was open. */
  public boolean ended(
      Connection c, String leaseId, LeaseOutcome outcome, Integer lastEpoch, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE segment_leases SET ended_at = ?, outcome = ?, last_epoch = ? WHERE lease_id = ? AND ended_at IS NULL")) {
      Columns.setInstant(ps, 1, now);
      ps.setString(2, outcome.wireName());
      Columns.setInteger(ps, 3, lastEpoch);
      ps.setString(4, leaseId);
      return ps.executeUpdate() == 1;
    }
  }

  /** Corrects the outcome of an ended lease (a completion whose report never came). */
  public void relabel(Connection c, String leaseId, LeaseOutcome outcome) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE segment_leases SET outcome = ? WHERE lease_id = ?")) {
      ps.setString(1, outcome.wireName());
      ps.setString(2, leaseId);
      ps.executeUpdate();
    }
  }
}
