package io.sharpsweep.store.db;

import io.sharpsweep.store.control.LeaseOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * SQL of the {@code segment_leases} history; the caller owns the connection and its transaction.
 */
public final class LeaseHistoryRepository {

  /**
   * Records the grants {@code grants[i]} of the leased segments {@code leased[i]}, in one JDBC
   * batch.
   */
  public void granted(Connection c, List<SegmentRow> leased, List<LeaseGrant> grants)
      throws SQLException {
    if (leased.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO segment_leases (lease_id, segment_id, study_id, trial_id, attempt, worker_id, granted_at, from_epoch)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < leased.size(); i++) {
        SegmentRow s = leased.get(i);
        LeaseGrant g = grants.get(i);
        ps.setString(1, g.leaseId());
        ps.setLong(2, s.id());
        ps.setString(3, s.studyId());
        ps.setString(4, s.trialId());
        ps.setInt(5, s.attempt());
        ps.setString(6, g.workerId());
        Columns.setInstant(ps, 7, g.now());
        ps.setInt(8, s.fromEpoch());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Ends a lease that is still open; returns whether it was open. {@code fenceEpoch} (null for
   * none) is the epoch after which the lease's reports are dropped when they arrive.
   */
  public boolean ended(
      Connection c,
      String leaseId,
      LeaseOutcome outcome,
      Integer lastEpoch,
      Integer fenceEpoch,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE segment_leases SET ended_at = ?, outcome = ?, last_epoch = ?, fence_epoch = ? WHERE lease_id = ? AND ended_at IS NULL")) {
      Columns.setInstant(ps, 1, now);
      ps.setString(2, outcome.wireName());
      Columns.setInteger(ps, 3, lastEpoch);
      Columns.setInteger(ps, 4, fenceEpoch);
      ps.setString(5, leaseId);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Corrects the outcome of an ended lease (a completion whose report never came, so its segment is
   * trained again after {@code fenceEpoch}).
   */
  public void relabel(Connection c, String leaseId, LeaseOutcome outcome, Integer fenceEpoch)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE segment_leases SET outcome = ?, fence_epoch = ? WHERE lease_id = ?")) {
      ps.setString(1, outcome.wireName());
      Columns.setInteger(ps, 2, fenceEpoch);
      ps.setString(3, leaseId);
      ps.executeUpdate();
    }
  }

  /** The leases among {@code leaseIds} that the store granted, by id. */
  public java.util.Map<String, LeaseRecord> findAll(
      Connection c, java.util.Collection<String> leaseIds) throws SQLException {
    java.util.Map<String, LeaseRecord> out = new java.util.HashMap<>();
    for (LeaseRecord l :
        Columns.selectIn(
            c,
            "SELECT lease_id, segment_id, study_id, trial_id, attempt, worker_id, ended_at, outcome,"
                + " fence_epoch FROM segment_leases WHERE lease_id IN ",
            "",
            java.util.List.of(),
            new java.util.ArrayList<>(leaseIds),
            LeaseHistoryRepository::record)) {
      out.put(l.leaseId(), l);
    }
    return out;
  }

  /** The lease {@code leaseId}, if the store ever granted it. */
  public Optional<LeaseRecord> find(Connection c, String leaseId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT lease_id, segment_id, study_id, trial_id, attempt, worker_id, ended_at, outcome,"
                + " fence_epoch FROM segment_leases WHERE lease_id = ?")) {
      ps.setString(1, leaseId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(record(rs));
      }
    }
  }

  private static LeaseRecord record(ResultSet rs) throws SQLException {
    return new LeaseRecord(
        rs.getString("lease_id"),
        rs.getLong("segment_id"),
        rs.getString("study_id"),
        rs.getString("trial_id"),
        rs.getInt("attempt"),
        rs.getString("worker_id"),
        Columns.getInstant(rs, "ended_at"),
        rs.getString("outcome"),
        Columns.getInteger(rs, "fence_epoch"));
  }
}
