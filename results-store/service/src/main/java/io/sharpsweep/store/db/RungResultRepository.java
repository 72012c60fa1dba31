package io.sharpsweep.store.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postgresql.PGConnection;

/** SQL of the {@code rung_results} table; the caller owns the connection and its transaction. */
public final class RungResultRepository {
  private static final String COLUMNS =
      "id, study_id, trial_id, bracket, rung, epoch, attempt, objective_1, objective_2, failed, promoted, created_at, promoted_at";

  /**
   * Records a trial's arrival at a rung unless it already arrived there (the first arrival wins).
   * Returns the row this call inserted, or empty for a duplicate: on PostgreSQL from the insert
   * itself ({@code RETURNING}), on H2 read back.
   */
  public Optional<RungResultRow> insert(Connection c, NewRungResult r, Instant now)
      throws SQLException {
    boolean returning = c.isWrapperFor(PGConnection.class);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO rung_results (study_id, trial_id, bracket, rung, epoch, attempt, objective_1, objective_2, failed, promoted,"
                + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
                + (returning ? " RETURNING " + COLUMNS : ""))) {
      ps.setString(1, r.studyId());
      ps.setString(2, r.trialId());
      ps.setInt(3, r.bracket());
      ps.setInt(4, r.rung());
      ps.setInt(5, r.epoch());
      ps.setInt(6, r.attempt());
      Columns.setDouble(ps, 7, r.objective1());
      Columns.setDouble(ps, 8, r.objective2());
      ps.setBoolean(9, r.failed());
      ps.setBoolean(10, false);
      Columns.setInstant(ps, 11, now);
      if (returning) {
        // the inserted row itself; none for a duplicate
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
      }
      if (ps.executeUpdate() != 1) {
        return Optional.empty();
      }
    }
    return find(c, r.trialId(), r.rung());
  }

  public Optional<RungResultRow> find(Connection c, String trialId, int rung) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM rung_results WHERE trial_id = ? AND rung = ?")) {
      ps.setString(1, trialId);
      ps.setInt(2, rung);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /** Every row of a study, in arrival order. */
  public List<RungResultRow> listByStudy(Connection c, String studyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM rung_results WHERE study_id = ? ORDER BY id")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        List<RungResultRow> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row(rs));
        }
        return out;
      }
    }
  }

  /**
   * The highest rung each of {@code trialIds} reached with a result (trials without one absent).
   */
  public Map<String, Integer> reachedByTrial(Connection c, List<String> trialIds)
      throws SQLException {
    Map<String, Integer> out = new HashMap<>();
    if (trialIds.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT trial_id, MAX(rung) AS top FROM rung_results WHERE trial_id IN ("
                + Columns.placeholders(trialIds.size())
                + ") AND failed = FALSE GROUP BY trial_id")) {
      for (int i = 0; i < trialIds.size(); i++) {
        ps.setString(i + 1, trialIds.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString("trial_id"), rs.getInt("top"));
        }
      }
    }
    return out;
  }

  /** The highest rung each trial of the study reached with a result. */
  public Map<String, Integer> reachedByStudy(Connection c, String studyId) throws SQLException {
    Map<String, Integer> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT trial_id, MAX(rung) AS top FROM rung_results WHERE study_id = ? AND failed = FALSE"
                + " GROUP BY trial_id")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString("trial_id"), rs.getInt("top"));
        }
      }
    }
    return out;
  }

  public void markPromoted(Connection c, String trialId, int rung, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE rung_results SET promoted = TRUE, promoted_at = ? WHERE trial_id = ? AND rung = ? AND promoted = FALSE")) {
      Columns.setInstant(ps, 1, now);
      ps.setString(2, trialId);
      ps.setInt(3, rung);
      ps.executeUpdate();
    }
  }

  private static RungResultRow row(ResultSet rs) throws SQLException {
    return new RungResultRow(
        rs.getLong("id"),
        rs.getString("study_id"),
        rs.getString("trial_id"),
        rs.getInt("bracket"),
        rs.getInt("rung"),
        rs.getInt("epoch"),
        rs.getInt("attempt"),
        Columns.getDouble(rs, "objective_1"),
        Columns.getDouble(rs, "objective_2"),
        rs.getBoolean("failed"),
        rs.getBoolean("promoted"),
        Columns.getInstant(rs, "created_at"),
        Columns.getInstant(rs, "promoted_at"));
  }
}
