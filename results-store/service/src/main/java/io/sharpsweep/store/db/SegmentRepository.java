package io.sharpsweep.store.db;

import io.sharpsweep.store.control.SegmentState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL of the {@code segments} table; the caller owns the connection and its transaction. State
 * changes of a leased segment are conditional updates, so that two callers (two workers, a worker
 * and the reaper) never both win.
 */
public final class SegmentRepository {
  private static final String COLUMNS =
      "id, study_id, trial_id, attempt, from_epoch, to_epoch, checkpoint_uri, priority, state, lease_id, worker_id,"
          + " lease_expires_at, progress_epoch, progress_checkpoint, lease_granted_epoch, lease_unstarted";
  private static final String ACTIVE = "('queued', 'leased', 'finishing')";

  public long insert(Connection c, NewSegment s, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO segments (study_id, trial_id, attempt, from_epoch, to_epoch, checkpoint_uri, priority, state,"
                + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, s.studyId());
      ps.setString(2, s.trialId());
      ps.setInt(3, s.attempt());
      ps.setInt(4, s.fromEpoch());
      ps.setInt(5, s.toEpoch());
      ps.setString(6, s.checkpointUri());
      ps.setInt(7, s.priority());
      ps.setString(8, SegmentState.QUEUED.wireName());
      Columns.setInstant(ps, 9, now);
      Columns.setInstant(ps, 10, now);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /**
   * {@link #insert} of several segments, in multi-row statements of up to {@value
   * ReportRepository#INSERT_ROWS} rows; their ids follow the order of {@code ss}.
   */
  public void insertAll(Connection c, List<NewSegment> ss, Instant now) throws SQLException {
    for (int from = 0; from < ss.size(); from += ReportRepository.INSERT_ROWS) {
      List<NewSegment> part =
          ss.subList(from, Math.min(ss.size(), from + ReportRepository.INSERT_ROWS));
      StringBuilder sql =
          new StringBuilder(
              "INSERT INTO segments (study_id, trial_id, attempt, from_epoch, to_epoch, checkpoint_uri, priority, state,"
                  + " created_at, updated_at) VALUES ");
      for (int i = 0; i < part.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      }
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int p = 1;
        for (NewSegment s : part) {
          ps.setString(p++, s.studyId());
          ps.setString(p++, s.trialId());
          ps.setInt(p++, s.attempt());
          ps.setInt(p++, s.fromEpoch());
          ps.setInt(p++, s.toEpoch());
          ps.setString(p++, s.checkpointUri());
          ps.setInt(p++, s.priority());
          ps.setString(p++, SegmentState.QUEUED.wireName());
          Columns.setInstant(ps, p++, now);
          Columns.setInstant(ps, p++, now);
        }
        ps.executeUpdate();
      }
    }
  }

  /** The study's queued, leased and finishing segments, by id. */
  public List<SegmentRow> active(Connection c, String studyId) throws SQLException {
    return list(
        c,
        "SELECT "
            + COLUMNS
            + " FROM segments WHERE study_id = ? AND state IN "
            + ACTIVE
            + " ORDER BY id",
        studyId);
  }

  /**
   * The active segments of these trials, in id order (as {@link #activeOfTrial} for each), in one
   * statement per {@value ReportRepository#INSERT_ROWS} trials.
   */
  public List<SegmentRow> activeOfTrials(Connection c, java.util.Collection<String> trialIds)
      throws SQLException {
    List<SegmentRow> out =
        Columns.selectIn(
            c,
            "SELECT " + COLUMNS + " FROM segments WHERE trial_id IN ",
            " AND state IN " + ACTIVE + " ORDER BY id",
            List.of(),
            new java.util.ArrayList<>(trialIds),
            SegmentRepository::row);
    out.sort(java.util.Comparator.comparingLong(SegmentRow::id));
    return out;
  }

  /** Whether the study has a queued, leased or finishing segment. */
  public boolean anyActive(Connection c, String studyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM segments WHERE study_id = ? AND state IN " + ACTIVE + " LIMIT 1")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The trial's active segment (a trial has at most one). */
  public Optional<SegmentRow> activeOfTrial(Connection c, String trialId) throws SQLException {
    return first(
        list(
            c,
            "SELECT "
                + COLUMNS
                + " FROM segments WHERE trial_id = ? AND state IN "
                + ACTIVE
                + " ORDER BY id",
            trialId));
  }

  public Optional<SegmentRow> find(Connection c, long id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM segments WHERE id = ?")) {
      ps.setLong(1, id);
      return first(rows(ps));
    }
  }

  /** The segment whose current (or last) lease is {@code leaseId}. */
  public Optional<SegmentRow> byLease(Connection c, String leaseId) throws SQLException {
    return first(list(c, "SELECT " + COLUMNS + " FROM segments WHERE lease_id = ?", leaseId));
  }

  /**
   * {@link #find}, locking the row until the transaction ends. Whoever changes a segment's state
   * holds this lock first and the lease history's row after it, so that a lease end without the
   * study's lock ({@code complete}) and one under it are ordered, and never deadlock.
   */
  public Optional<SegmentRow> lock(Connection c, long id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM segments WHERE id = ? FOR UPDATE")) {
      ps.setLong(1, id);
      return first(rows(ps));
    }
  }

  /** {@link #byLease}, locking the row as {@link #lock} does. */
  public Optional<SegmentRow> lockByLease(Connection c, String leaseId) throws SQLException {
    return first(
        list(c, "SELECT " + COLUMNS + " FROM segments WHERE lease_id = ? FOR UPDATE", leaseId));
  }

  /**
   * Queued segments in dispatch order (priority, then age) whose study runs, is not paused and has
   * a free slot: fewer leased and finishing segments than its parallelism.
   */
  public List<SegmentRow> dispatchable(Connection c, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT g."
                + COLUMNS.replace(", ", ", g.")
                + " FROM segments g JOIN studies s ON s.id = g.study_id WHERE g.state = 'queued' AND s.state = 'running'"
                + " AND NOT s.paused"
                + " AND (s.parallelism IS NULL OR s.parallelism > (SELECT COUNT(*) FROM segments a"
                + " WHERE a.study_id = g.study_id AND a.state IN ('leased', 'finishing')))"
                + " ORDER BY g.priority DESC, g.id LIMIT ?")) {
      ps.setInt(1, limit);
      return rows(ps);
    }
  }

  /** How many of the study's segments are leased or finishing. */
  public int busy(Connection c, String studyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*) FROM segments WHERE study_id = ? AND state IN ('leased', 'finishing')")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Which of the segments {@code ids} are queued now, in one statement per few hundred ids. */
  public java.util.Set<Long> queuedAmong(Connection c, List<Long> ids) throws SQLException {
    return new java.util.HashSet<>(
        Columns.selectIn(
            c,
            "SELECT id FROM segments WHERE id IN ",
            " AND state = 'queued'",
            List.of(),
            ids,
            rs -> rs.getLong(1)));
  }

  /** The segments among {@code ids} (as {@link #find} for each), by id, in few statements. */
  public java.util.Map<Long, SegmentRow> findAll(Connection c, List<Long> ids) throws SQLException {
    java.util.Map<Long, SegmentRow> out = new java.util.HashMap<>();
    for (SegmentRow s :
        Columns.selectIn(
            c,
            "SELECT " + COLUMNS + " FROM segments WHERE id IN ",
            "",
            List.of(),
            ids,
            SegmentRepository::row)) {
      out.put(s.id(), s);
    }
    return out;
  }

  private static final String GRANT =
      "UPDATE segments SET state = 'leased', lease_id = ?, worker_id = ?, lease_expires_at = ?,"
          + " progress_epoch = NULL, progress_checkpoint = NULL, lease_granted_epoch = from_epoch,"
          + " lease_unstarted = ?, updated_at = ? WHERE id = ? AND state = 'queued'";

  private static void bindGrant(PreparedStatement ps, long id, LeaseGrant g) throws SQLException {
    ps.setString(1, g.leaseId());
    ps.setString(2, g.workerId());
    Columns.setInstant(ps, 3, g.expiresAt());
    ps.setBoolean(4, g.ahead());
    Columns.setInstant(ps, 5, g.now());
    ps.setLong(6, id);
  }

  /**
   * Leases each segment {@code ids[i]} with {@code grants[i]} if it is still queued, by a
   * conditional update each, in one JDBC batch; the result says for each whether it was leased
   * (false: it is no longer queued, another worker took it).
   */
  public boolean[] grantAll(Connection c, List<Long> ids, List<LeaseGrant> grants)
      throws SQLException {
    boolean[] leased = new boolean[ids.size()];
    if (ids.isEmpty()) {
      return leased;
    }
    try (PreparedStatement ps = c.prepareStatement(GRANT)) {
      for (int i = 0; i < ids.size(); i++) {
        bindGrant(ps, ids.get(i), grants.get(i));
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        leased[i] = counts[i] == 1;
      }
    }
    return leased;
  }

  /**
   * Hands leases that {@link #grantAll} just granted to other workers, in one JDBC batch: {@code
   * grants} maps a segment's id to its lease, which names the new holder.
   */
  public void reassign(Connection c, java.util.Map<Long, LeaseGrant> grants) throws SQLException {
    if (grants.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE segments SET worker_id = ? WHERE id = ? AND lease_id = ?")) {
      for (java.util.Map.Entry<Long, LeaseGrant> e : grants.entrySet()) {
        ps.setString(1, e.getValue().workerId());
        ps.setLong(2, e.getKey());
        ps.setString(3, e.getValue().leaseId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Renews a lease that is still the segment's and has not expired, recording a later checkpoint
   * and, when {@code started}, that its segment started training; false otherwise.
   */
  public boolean renew(
      Connection c,
      String leaseId,
      Instant expiresAt,
      Integer epoch,
      String checkpoint,
      boolean started,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE segments SET lease_expires_at = ?, updated_at = ?,"
                + " lease_unstarted = CASE WHEN ? THEN FALSE ELSE lease_unstarted END,"
                + " progress_checkpoint = CASE WHEN ? > COALESCE(progress_epoch, from_epoch) AND ? <= to_epoch THEN ? ELSE progress_checkpoint END,"
                + " progress_epoch = CASE WHEN ? > COALESCE(progress_epoch, from_epoch) AND ? <= to_epoch THEN ? ELSE progress_epoch END"
                + " WHERE lease_id = ? AND state = 'leased' AND lease_expires_at >= ?")) {
      int e = epoch == null ? -1 : epoch;
      Columns.setInstant(ps, 1, expiresAt);
      Columns.setInstant(ps, 2, now);
      ps.setBoolean(3, started);
      ps.setInt(4, e);
      ps.setInt(5, e);
      ps.setString(6, checkpoint);
      ps.setInt(7, e);
      ps.setInt(8, e);
      ps.setInt(9, e);
      ps.setString(10, leaseId);
      Columns.setInstant(ps, 11, now);
      return ps.executeUpdate() == 1;
    }
  }

  /** Moves a segment to a final state (done, failed, cancelled). */
  public void close(Connection c, long id, SegmentState state, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE segments SET state = ?, updated_at = ? WHERE id = ?")) {
      ps.setString(1, state.wireName());
      Columns.setInstant(ps, 2, now);
      ps.setLong(3, id);
      ps.executeUpdate();
    }
  }

  /** Queues a segment again from {@code fromEpoch} / {@code checkpoint}, without a lease. */
  public void requeue(Connection c, long id, int fromEpoch, String checkpoint, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE segments SET state = 'queued', from_epoch = ?, checkpoint_uri = ?, lease_id = NULL, worker_id = NULL,"
                + " lease_expires_at = NULL, progress_epoch = NULL, progress_checkpoint = NULL, lease_granted_epoch = NULL,"
                + " lease_unstarted = FALSE, updated_at = ? WHERE id = ?")) {
      ps.setInt(1, fromEpoch);
      ps.setString(2, checkpoint);
      Columns.setInstant(ps, 3, now);
      ps.setLong(4, id);
      ps.executeUpdate();
    }
  }

  /** The segment waits for its last report until {@code deadline}. */
  public void finishing(Connection c, long id, Instant deadline, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE segments SET state = 'finishing', lease_expires_at = ?, updated_at = ? WHERE id = ?")) {
      Columns.setInstant(ps, 1, deadline);
      Columns.setInstant(ps, 2, now);
      ps.setLong(3, id);
      ps.executeUpdate();
    }
  }

  /** Leased and finishing segments whose deadline is before {@code now}. */
  public List<SegmentRow> overdue(Connection c, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM segments WHERE state IN ('leased', 'finishing') AND lease_expires_at < ? ORDER BY id")) {
      Columns.setInstant(ps, 1, now);
      return rows(ps);
    }
  }

  /** Segment counts by state over every study (for autoscalers). */
  public int countInState(Connection c, SegmentState state) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COUNT(*) FROM segments WHERE state = ?")) {
      ps.setString(1, state.wireName());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static List<SegmentRow> list(Connection c, String sql, String param) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      return rows(ps);
    }
  }

  private static <T> Optional<T> first(List<T> rows) {
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private static List<SegmentRow> rows(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<SegmentRow> out = new ArrayList<>();
      while (rs.next()) {
        out.add(row(rs));
      }
      return out;
    }
  }

  private static SegmentRow row(ResultSet rs) throws SQLException {
    return new SegmentRow(
        rs.getLong("id"),
        rs.getString("study_id"),
        rs.getString("trial_id"),
        rs.getInt("attempt"),
        rs.getInt("from_epoch"),
        rs.getInt("to_epoch"),
        rs.getString("checkpoint_uri"),
        rs.getInt("priority"),
        SegmentState.fromWire(rs.getString("state")),
        rs.getString("lease_id"),
        rs.getString("worker_id"),
        Columns.getInstant(rs, "lease_expires_at"),
        Columns.getInteger(rs, "progress_epoch"),
        rs.getString("progress_checkpoint"),
        Columns.getInteger(rs, "lease_granted_epoch"),
        rs.getBoolean("lease_unstarted"));
  }
}
