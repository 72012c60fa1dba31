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

/** SQL of the {@code trials} table; the caller owns the connection and its transaction. */
public final class TrialRepository {
  private static final String COLUMNS =
      "trial_id, study_id, number, params, config, state, attempt, last_epoch, reason, created_at, updated_at";

  /**
   * The control API's creation of a trial: inserts its row ({@code running} at {@code attempt},
   * described by {@link #describe} in the same transaction) unless it exists, and returns it locked
   * for update. Reports never create trials: they {@link #lock} an existing one.
   */
  public TrialRow createLocked(
      Connection c, String studyId, String trialId, int attempt, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO trials (trial_id, study_id, state, attempt, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      ps.setString(1, trialId);
      ps.setString(2, studyId);
      ps.setString(3, TrialState.RUNNING.wireName());
      ps.setInt(4, attempt);
      Columns.setInstant(ps, 5, now);
      Columns.setInstant(ps, 6, now);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM trials WHERE trial_id = ? FOR UPDATE")) {
      ps.setString(1, trialId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("trial " + trialId + " vanished after its insert", "55000");
        }
        return row(rs);
      }
    }
  }

  /**
   * {@link #createLocked} of several trials in a fixed number of statements per {@value
   * ReportRepository#INSERT_ROWS} ids: locks the rows among {@code trialIds} that exist (of any
   * study: the caller checks ownership), inserts the others ({@code running} at {@code attempt}, to
   * be {@link #describeAll described} in the same transaction) in multi-row statements, and returns
   * the rows that were there before, by trial id. Every other id of {@code trialIds} is a row this
   * call inserted, locked by its insert.
   */
  public Map<String, TrialRow> createAllLocked(
      Connection c, String studyId, List<String> trialIds, int attempt, Instant now)
      throws SQLException {
    Map<String, TrialRow> existing = lockAll(c, trialIds);
    List<String> missing = trialIds.stream().filter(id -> !existing.containsKey(id)).toList();
    int inserted = 0;
    for (int from = 0; from < missing.size(); from += ReportRepository.INSERT_ROWS) {
      List<String> part =
          missing.subList(from, Math.min(missing.size(), from + ReportRepository.INSERT_ROWS));
      StringBuilder sql =
          new StringBuilder(
              "INSERT INTO trials (trial_id, study_id, state, attempt, created_at, updated_at) VALUES ");
      for (int i = 0; i < part.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?)");
      }
      sql.append(" ON CONFLICT DO NOTHING");
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int p = 1;
        for (String id : part) {
          ps.setString(p++, id);
          ps.setString(p++, studyId);
          ps.setString(p++, TrialState.RUNNING.wireName());
          ps.setInt(p++, attempt);
          Columns.setInstant(ps, p++, now);
          Columns.setInstant(ps, p++, now);
        }
        inserted += ps.executeUpdate();
      }
    }
    if (inserted < missing.size()) {
      // Another transaction inserted some of them meanwhile. The caller holds this study's lock, so
      // those rows belong to other studies: locked and returned like the rows found first.
      for (TrialRow row : lockAll(c, missing).values()) {
        if (!row.studyId().equals(studyId)) {
          existing.put(row.trialId(), row);
        }
      }
    }
    return existing;
  }

  /** A trial's number, parameters and configuration (JSON), for {@link #describeAll}. */
  public record Description(String trialId, int number, String paramsJson, String configJson) {}

  /**
   * {@link #describe} of several trials in one JDBC batch; each row is filled in only if it has no
   * parameters yet.
   */
  public void describeAll(
      Connection c, List<Description> descriptions, Instant createdAt, Instant now)
      throws SQLException {
    if (descriptions.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE trials SET number = ?, params = ?, config = ?, created_at = ?, updated_at = ? WHERE trial_id = ? AND params IS NULL")) {
      for (Description d : descriptions) {
        ps.setInt(1, d.number());
        ps.setString(2, d.paramsJson());
        ps.setString(3, d.configJson());
        Columns.setInstant(ps, 4, createdAt);
        Columns.setInstant(ps, 5, now);
        ps.setString(6, d.trialId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Locks an existing trial's row for the transaction; empty if there is none. */
  public Optional<TrialRow> lock(Connection c, String trialId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM trials WHERE trial_id = ? FOR UPDATE")) {
      ps.setString(1, trialId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /**
   * Locks the existing trials among {@code trialIds} (of any study: the caller checks ownership) in
   * one statement per few hundred ids; the map holds those that exist.
   */
  public Map<String, TrialRow> lockAll(Connection c, java.util.Collection<String> trialIds)
      throws SQLException {
    Map<String, TrialRow> out = new HashMap<>();
    List<String> ids = new ArrayList<>(trialIds);
    java.util.Collections.sort(ids);
    for (TrialRow row :
        Columns.selectIn(
            c,
            "SELECT " + COLUMNS + " FROM trials WHERE trial_id IN ",
            " ORDER BY trial_id FOR UPDATE",
            List.of(),
            ids,
            TrialRepository::row)) {
      out.put(row.trialId(), row);
    }
    return out;
  }

  /** The parameters (JSON) of the existing trials among {@code trialIds}, by trial id. */
  public Map<String, String> paramsOf(Connection c, java.util.Collection<String> trialIds)
      throws SQLException {
    Map<String, String> out = new HashMap<>();
    for (String[] row :
        Columns.selectIn(
            c,
            "SELECT trial_id, params FROM trials WHERE trial_id IN ",
            "",
            List.of(),
            new ArrayList<>(trialIds),
            rs -> new String[] {rs.getString(1), rs.getString(2)})) {
      out.put(row[0], row[1]);
    }
    return out;
  }

  /** {@link #updateStatus} of several trials, in one JDBC batch. */
  public void updateStatuses(Connection c, java.util.Collection<TrialRow> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    if (rows.size() > 1 && c.isWrapperFor(PGConnection.class)) {
      updateStatusesFromArrays(c, rows);
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE trials SET state = ?, attempt = ?, last_epoch = ?, reason = ?, updated_at = ? WHERE trial_id = ?")) {
      for (TrialRow t : rows) {
        ps.setString(1, t.state().wireName());
        ps.setInt(2, t.attempt());
        Columns.setInteger(ps, 3, t.lastEpoch());
        ps.setString(4, t.reason());
        Columns.setInstant(ps, 5, t.updatedAt());
        ps.setString(6, t.trialId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * PostgreSQL: every row in one statement, whose six parameters are arrays joined to the table
   * (one plan and one execution for the chunk, where a JDBC batch executes one update per row).
   */
  private static void updateStatusesFromArrays(Connection c, java.util.Collection<TrialRow> rows)
      throws SQLException {
    int n = rows.size();
    String[] ids = new String[n];
    String[] states = new String[n];
    Integer[] attempts = new Integer[n];
    Integer[] lastEpochs = new Integer[n];
    String[] reasons = new String[n];
    String[] updatedAt = new String[n];
    int i = 0;
    for (TrialRow t : rows) {
      ids[i] = t.trialId();
      states[i] = t.state().wireName();
      attempts[i] = t.attempt();
      lastEpochs[i] = t.lastEpoch();
      reasons[i] = t.reason();
      updatedAt[i] = t.updatedAt() == null ? null : Columns.micros(t.updatedAt());
      i++;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE trials AS t SET state = v.state, attempt = v.attempt, last_epoch = v.last_epoch,"
                + " reason = v.reason, updated_at = v.updated_at::timestamptz"
                + " FROM unnest(?::text[], ?::text[], ?::int4[], ?::int4[], ?::text[], ?::text[])"
                + " AS v(trial_id, state, attempt, last_epoch, reason, updated_at)"
                + " WHERE t.trial_id = v.trial_id")) {
      ps.setArray(1, c.createArrayOf("text", ids));
      ps.setArray(2, c.createArrayOf("text", states));
      ps.setArray(3, c.createArrayOf("int4", attempts));
      ps.setArray(4, c.createArrayOf("int4", lastEpochs));
      ps.setArray(5, c.createArrayOf("text", reasons));
      ps.setArray(6, c.createArrayOf("text", updatedAt));
      ps.executeUpdate();
    }
  }

  /**
   * Fills in the number, parameters and configuration of a trial that has none yet; returns whether
   * it did.
   */
  public boolean describe(
      Connection c,
      String trialId,
      int number,
      String paramsJson,
      String configJson,
      Instant createdAt,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE trials SET number = ?, params = ?, config = ?, created_at = ?, updated_at = ? WHERE trial_id = ? AND params IS NULL")) {
      ps.setInt(1, number);
      ps.setString(2, paramsJson);
      ps.setString(3, configJson);
      Columns.setInstant(ps, 4, createdAt);
      Columns.setInstant(ps, 5, now);
      ps.setString(6, trialId);
      return ps.executeUpdate() == 1;
    }
  }

  public void updateStatus(
      Connection c,
      String trialId,
      TrialState state,
      int attempt,
      Integer lastEpoch,
      String reason,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE trials SET state = ?, attempt = ?, last_epoch = ?, reason = ?, updated_at = ? WHERE trial_id = ?")) {
      ps.setString(1, state.wireName());
      ps.setInt(2, attempt);
      Columns.setInteger(ps, 3, lastEpoch);
      ps.setString(4, reason);
      Columns.setInstant(ps, 5, now);
      ps.setString(6, trialId);
      ps.executeUpdate();
    }
  }

  /** Moves a trial between running, parked and completed as the multi-fidelity decisions say. */
  public void updateState(Connection c, String trialId, TrialState state, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE trials SET state = ?, updated_at = ? WHERE trial_id = ?")) {
      ps.setString(1, state.wireName());
      Columns.setInstant(ps, 2, now);
      ps.setString(3, trialId);
      ps.executeUpdate();
    }
  }

  public Optional<TrialRow> find(Connection c, String studyId, String trialId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM trials WHERE trial_id = ? AND study_id = ?")) {
      ps.setString(1, trialId);
      ps.setString(2, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /**
   * The study's trials among {@code trialIds} (as {@link #find} for each), by trial id, in one
   * statement per few hundred ids.
   */
  public Map<String, TrialRow> findAll(
      Connection c, String studyId, java.util.Collection<String> trialIds) throws SQLException {
    Map<String, TrialRow> out = new HashMap<>();
    for (TrialRow row :
        Columns.selectIn(
            c,
            "SELECT " + COLUMNS + " FROM trials WHERE study_id = ? AND trial_id IN ",
            "",
            List.of(studyId),
            new ArrayList<>(trialIds),
            TrialRepository::row)) {
      out.put(row.trialId(), row);
    }
    return out;
  }

  /** The trials of a study by number (placeholders without a number last). */
  /** {@link #listByStudy} without the parameters, configurations and times. */
  public List<TrialBrief> briefsByStudy(Connection c, String studyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT trial_id, number, state FROM trials WHERE study_id = ?"
                + " ORDER BY number, trial_id")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        List<TrialBrief> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(
              new TrialBrief(
                  rs.getString("trial_id"),
                  Columns.getInteger(rs, "number"),
                  TrialState.fromWire(rs.getString("state"))));
        }
        return rows;
      }
    }
  }

  public List<TrialRow> listByStudy(Connection c, String studyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM trials WHERE study_id = ? ORDER BY number, trial_id")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        List<TrialRow> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(row(rs));
        }
        return rows;
      }
    }
  }

  /**
   * One page of a study's trials in the order of {@link #listByStudy} (number, then id; trials
   * without a number last), after the trial {@code after} when given, optionally only those in
   * {@code state}. Asks for {@code limit} rows; the caller asks for one more than it shows to learn
   * whether another page follows.
   */
  public List<TrialRow> page(
      Connection c, String studyId, TrialState state, TrialRow after, int limit)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM trials WHERE study_id = ?");
    if (state != null) {
      sql.append(" AND state = ?");
    }
    if (after != null) {
      sql.append(
          after.number() == null
              ? " AND number IS NULL AND trial_id > ?"
              : " AND (number > ? OR (number = ? AND trial_id > ?) OR number IS NULL)");
    }
    sql.append(" ORDER BY number, trial_id LIMIT ?");
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      ps.setString(i++, studyId);
      if (state != null) {
        ps.setString(i++, state.wireName());
      }
      if (after != null) {
        if (after.number() != null) {
          ps.setInt(i++, after.number());
          ps.setInt(i++, after.number());
        }
        ps.setString(i++, after.trialId());
      }
      ps.setInt(i, limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<TrialRow> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(row(rs));
        }
        return rows;
      }
    }
  }

  /** How many trials the study has (in {@code state}, when given). */
  public int count(Connection c, String studyId, TrialState state) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*) FROM trials WHERE study_id = ?"
                + (state == null ? "" : " AND state = ?"))) {
      ps.setString(1, studyId);
      if (state != null) {
        ps.setString(2, state.wireName());
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  public TrialCounts counts(Connection c, String studyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT state, COUNT(*) AS n FROM trials WHERE study_id = ? GROUP BY state")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        TrialCounts counts = TrialCounts.NONE;
        while (rs.next()) {
          counts = counts.plus(TrialState.fromWire(rs.getString("state")), rs.getInt("n"));
        }
        return counts;
      }
    }
  }

  /** Counts of every study that has trials, in one query (for the study list). */
  public Map<String, TrialCounts> countsByStudy(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT study_id, state, COUNT(*) AS n FROM trials GROUP BY study_id, state");
        ResultSet rs = ps.executeQuery()) {
      Map<String, TrialCounts> counts = new HashMap<>();
      while (rs.next()) {
        TrialState state = TrialState.fromWire(rs.getString("state"));
        int n = rs.getInt("n");
        counts.merge(
            rs.getString("study_id"), TrialCounts.NONE.plus(state, n), (a, b) -> a.plus(state, n));
      }
      return counts;
    }
  }

  private static TrialRow row(ResultSet rs) throws SQLException {
    return new TrialRow(
        rs.getString("trial_id"),
        rs.getString("study_id"),
        Columns.getInteger(rs, "number"),
        rs.getString("params"),
        rs.getString("config"),
        TrialState.fromWire(rs.getString("state")),
        rs.getInt("attempt"),
        Columns.getInteger(rs, "last_epoch"),
        rs.getString("reason"),
        Columns.getInstant(rs, "created_at"),
        Columns.getInstant(rs, "updated_at"));
  }
}
