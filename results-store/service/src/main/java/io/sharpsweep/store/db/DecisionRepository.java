package io.sharpsweep.store.db;

import io.sharpsweep.protocol.messages.RungDecision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;

/** SQL of the {@code decisions} table; the caller owns the connection and its transaction. */
public final class DecisionRepository {
  private static final String COLUMNS =
      "id, study_id, trial_id, attempt, epoch, rung, action, reason, next_epoch, created_at, published_at";

  /**
   * Records a decision unless the same (trial, attempt, epoch, action) was decided before, and
   * returns the stored row either way: the caller publishes it while it is unpublished. On
   * PostgreSQL a new row comes back from the insert itself ({@code RETURNING}); an existing one,
   * and any on H2, is read back.
   */
  public DecisionRow record(
      Connection c,
      String studyId,
      String trialId,
      int attempt,
      int epoch,
      int rung,
      RungDecision.Action action,
      String reason,
      Instant now)
      throws SQLException {
    return record(c, studyId, trialId, attempt, epoch, rung, action, reason, null, now);
  }

  /** As {@link #record}, with the end of the next segment for a promotion. */
  public DecisionRow record(
      Connection c,
      String studyId,
      String trialId,
      int attempt,
      int epoch,
      int rung,
      RungDecision.Action action,
      String reason,
      Integer nextEpoch,
      Instant now)
      throws SQLException {
    boolean returning = c.isWrapperFor(PGConnection.class);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO decisions (study_id, trial_id, attempt, epoch, rung, action, reason, next_epoch, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
                + (returning ? " RETURNING " + COLUMNS : ""))) {
      ps.setString(1, studyId);
      ps.setString(2, trialId);
      ps.setInt(3, attempt);
      ps.setInt(4, epoch);
      ps.setInt(5, rung);
      ps.setString(6, action.wireName());
      ps.setString(7, reason);
      Columns.setInteger(ps, 8, nextEpoch);
      Columns.setInstant(ps, 9, now);
      if (returning) {
        // the inserted row itself; none when it was decided before, which is read below
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return row(rs);
          }
        }
      } else {
        ps.executeUpdate();
      }
    }
    return find(c, trialId, attempt, epoch, action)
        .orElseThrow(
            () ->
                new SQLException(
                    "decision for " + trialId + " vanished after its insert", "55000"));
  }

  public Optional<DecisionRow> find(
      Connection c, String trialId, int attempt, int epoch, RungDecision.Action action)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM decisions WHERE trial_id = ? AND attempt = ? AND epoch = ? AND action = ?")) {
      ps.setString(1, trialId);
      ps.setInt(2, attempt);
      ps.setInt(3, epoch);
      ps.setString(4, action.wireName());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /**
   * The trial's most recent decision of one action in one attempt (e.g. its failure, whose epoch is
   * the segment's start).
   */
  public Optional<DecisionRow> findLatest(
      Connection c, String trialId, int attempt, RungDecision.Action action) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM decisions WHERE trial_id = ? AND attempt = ? AND action = ? ORDER BY id DESC")) {
      ps.setString(1, trialId);
      ps.setInt(2, attempt);
      ps.setString(3, action.wireName());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /** The study's decisions not yet acknowledged by the broker, in the order they were taken. */
  public List<DecisionRow> unpublished(Connection c, String studyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM decisions WHERE study_id = ? AND published_at IS NULL ORDER BY id")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        List<DecisionRow> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row(rs));
        }
        return out;
      }
    }
  }

  /** The studies with a decision taken before {@code before} and not yet published. */
  public List<String> unpublishedStudies(Connection c, Instant before) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT DISTINCT study_id FROM decisions WHERE published_at IS NULL AND created_at < ?")) {
      Columns.setInstant(ps, 1, before);
      try (ResultSet rs = ps.executeQuery()) {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    }
  }

  /** {@link #markPublished} of several decisions, in one JDBC batch. */
  public void markAllPublished(Connection c, List<Long> ids, Instant now) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE decisions SET published_at = ? WHERE id = ? AND published_at IS NULL")) {
      for (long id : ids) {
        Columns.setInstant(ps, 1, now);
        ps.setLong(2, id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  public void markPublished(Connection c, long id, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE decisions SET published_at = ? WHERE id = ? AND published_at IS NULL")) {
      Columns.setInstant(ps, 1, now);
      ps.setLong(2, id);
      ps.executeUpdate();
    }
  }

  private static DecisionRow row(ResultSet rs) throws SQLException {
    return new DecisionRow(
        rs.getLong("id"),
        rs.getString("study_id"),
        rs.getString("trial_id"),
        rs.getInt("attempt"),
        rs.getInt("epoch"),
        rs.getInt("rung"),
        RungDecision.Action.fromWire(rs.getString("action")),
        rs.getString("reason"),
        Columns.getInteger(rs, "next_epoch"),
        Columns.getInstant(rs, "created_at"),
        Columns.getInstant(rs, "published_at"));
  }
}
