package io.sharpsweep.store.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL of the {@code enqueued_configs} table: configurations waiting to become a study's next
 * trials. The caller owns the connection and its transaction, and holds the study's lock for the
 * writes.
 */
public final class EnqueuedRepository {

  /** A waiting configuration: its position in the study's queue and its parameters (JSON). */
  public record Waiting(int position, String params) {}

  /** Appends the configurations (JSON) to the study's queue, in order. */
  public void append(Connection c, String studyId, List<String> params, String source, Instant now)
      throws SQLException {
    int next;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COALESCE(MAX(position), -1) + 1 FROM enqueued_configs WHERE study_id = ?")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        next = rs.getInt(1);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO enqueued_configs (study_id, position, params, source, enqueued_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      for (String p : params) {
        ps.setString(1, studyId);
        ps.setInt(2, next++);
        ps.setString(3, p);
        ps.setString(4, source);
        Columns.setInstant(ps, 5, now);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The first {@code limit} waiting configurations, in queue order. */
  public List<Waiting> waiting(Connection c, String studyId, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT position, params FROM enqueued_configs WHERE study_id = ? AND trial_number IS NULL"
                + " ORDER BY position LIMIT ?")) {
      ps.setString(1, studyId);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<Waiting> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new Waiting(rs.getInt(1), rs.getString(2)));
        }
        return out;
      }
    }
  }

  /** How many configurations of the study wait. */
  public int countWaiting(Connection c, String studyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*) FROM enqueued_configs WHERE study_id = ? AND trial_number IS NULL")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Records that the configuration at {@code position} became trial {@code number}. */
  public void consumed(Connection c, String studyId, int position, int number) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE enqueued_configs SET trial_number = ? WHERE study_id = ? AND position = ?")) {
      ps.setInt(1, number);
      ps.setString(2, studyId);
      ps.setInt(3, position);
      ps.executeUpdate();
    }
  }
}
