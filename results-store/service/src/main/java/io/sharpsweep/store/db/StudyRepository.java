package io.sharpsweep.store.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL of the {@code studies} table; the caller owns the connection and its transaction. */
public final class StudyRepository {
  private static final String COLUMNS =
      "id, name, spec, state, reason, created_at, updated_at, trials_created, paused, spec_at_creation";

  /**
   * Records a created study: inserts it, or fills in a placeholder without a spec (state {@code
   * unknown}) that an older store let reports create. A study that already has its spec is left as
   * it is (a repeated create). Returns whether the row changed. Nothing else inserts studies.
   */
  public boolean create(
      Connection c, String studyId, String name, String specJson, Instant createdAt, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO studies (id, name, spec, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, studyId);
      ps.setString(2, name);
      ps.setString(3, specJson);
      ps.setString(4, StudyStates.RUNNING);
      Columns.setInstant(ps, 5, createdAt);
      Columns.setInstant(ps, 6, now);
      if (ps.executeUpdate() == 1) {
        try (PreparedStatement d =
            c.prepareStatement(
                "INSERT INTO study_dispatch (study_id) VALUES (?) ON CONFLICT DO NOTHING")) {
          d.setString(1, studyId);
          d.executeUpdate();
        }
        return true;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE studies SET name = ?, spec = ?, state = CASE WHEN state = ? THEN ? ELSE state END, created_at = ?, updated_at = ?"
                + " WHERE id = ? AND spec IS NULL")) {
      ps.setString(1, name);
      ps.setString(2, specJson);
      ps.setString(3, StudyStates.UNKNOWN);
      ps.setString(4, StudyStates.RUNNING);
      Columns.setInstant(ps, 5, createdAt);
      Columns.setInstant(ps, 6, now);
      ps.setString(7, studyId);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Sets the study's state; a study that ends is no longer paused, so that one extended after it
   * completed runs again rather than waiting for a resume.
   */
  public void updateState(Connection c, String studyId, String state, String reason, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE studies SET state = ?, reason = ?, updated_at = ?,"
                + " paused = CASE WHEN ? = 'running' THEN paused ELSE FALSE END WHERE id = ?")) {
      ps.setString(1, state);
      ps.setString(2, reason);
      Columns.setInstant(ps, 3, now);
      ps.setString(4, state);
      ps.setString(5, studyId);
      ps.executeUpdate();
    }
  }

  public Optional<StudyRow> find(Connection c, String studyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM studies WHERE id = ?")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /** Every study, newest first. */
  public List<StudyRow> list(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM studies ORDER BY created_at DESC, id");
        ResultSet rs = ps.executeQuery()) {
      List<StudyRow> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(row(rs));
      }
      return rows;
    }
  }

  private static StudyRow row(ResultSet rs) throws SQLException {
    return new StudyRow(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("spec"),
        rs.getString("state"),
        rs.getString("reason"),
        Columns.getInstant(rs, "created_at"),
        Columns.getInstant(rs, "updated_at"),
        rs.getInt("trials_created"),
        rs.getBoolean("paused"),
        rs.getString("spec_at_creation"));
  }

  /** Copies the spec's capacity into the row, so that dispatch can respect it in SQL. */
  public void setCapacity(Connection c, String studyId, int trials, int parallelism)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE studies SET trials_budget = ?, parallelism = ? WHERE id = ?")) {
      ps.setInt(1, trials);
      ps.setInt(2, parallelism);
      ps.setString(3, studyId);
      ps.executeUpdate();
    }
  }

  /** Counts {@code n} more trials created (the caller holds the study's lock). */
  public void addCreated(Connection c, String studyId, int n, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE studies SET trials_created = trials_created + ?, updated_at = ? WHERE id = ?")) {
      ps.setInt(1, n);
      Columns.setInstant(ps, 2, now);
      ps.setString(3, studyId);
      ps.executeUpdate();
    }
  }

  /**
   * Locks the study's dispatch row (not the study's own row) and reads the study: what lease grants
   * hold, so that they are alone among the study's grants without waiting for its ingestion. Empty
   * when the study has no dispatch row (the caller then takes the study's lock).
   */
  public Optional<StudyRow> lockForDispatch(Connection c, String studyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT study_id FROM study_dispatch WHERE study_id = ? FOR UPDATE")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
      }
    }
    return find(c, studyId);
  }

  /** Locks an existing study's row for the transaction; empty if there is none. */
  public Optional<StudyRow> lock(Connection c, String studyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM studies WHERE id = ? FOR UPDATE")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /** Pauses or resumes the study (the caller holds its lock). */
  public void setPaused(Connection c, String studyId, boolean paused, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE studies SET paused = ?, updated_at = ? WHERE id = ?")) {
      ps.setBoolean(1, paused);
      Columns.setInstant(ps, 2, now);
      ps.setString(3, studyId);
      ps.executeUpdate();
    }
  }

  /**
   * Replaces the study's spec by an extended one, keeping the spec it was created with (the caller
   * holds its lock).
   */
  public void extend(Connection c, String studyId, String specJson, int trials, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE studies SET spec_at_creation = COALESCE(spec_at_creation, spec), spec = ?,"
                + " trials_budget = ?, updated_at = ? WHERE id = ?")) {
      ps.setString(1, specJson);
      ps.setInt(2, trials);
      Columns.setInstant(ps, 3, now);
      ps.setString(4, studyId);
      ps.executeUpdate();
    }
  }

  /** The ids of the running studies that are not paused, oldest first. */
  public List<String> running(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT id FROM studies WHERE state = 'running' AND NOT paused AND spec IS NOT NULL ORDER BY created_at, id");
        ResultSet rs = ps.executeQuery()) {
      List<String> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
      return ids;
    }
  }
}
