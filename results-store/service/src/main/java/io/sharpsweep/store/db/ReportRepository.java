package io.sharpsweep.store.db;

import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.study.Metric;
import io.sharpsweep.protocol.study.MetricCatalogue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postgresql.PGConnection;

/** SQL of the {@code epoch_reports} table; the caller owns the connection and its transaction. */
public final class ReportRepository {
  private static final String COLUMNS =
      "r.study_id, r.trial_id, r.attempt, r.epoch, r.val_accuracy, r.val_loss, r.train_loss, r.test_accuracy,"
          + " r.forward_passes, r.backward_passes, r.examples_backward, r.sam_step_fraction, r.wall_seconds,"
          + " r.sgd_epoch_equivalents, r.worker_id, r.checkpoint_uri, r.is_final, r.received_at";

  /** The columns a report's row is written with, in the order {@link #bind} binds them. */
  private static final String INSERT_COLUMNS =
      "trial_id, attempt, epoch, study_id, val_accuracy, val_loss, train_loss, test_accuracy,"
          + " forward_passes, backward_passes, examples_backward, sam_step_fraction, wall_seconds,"
          + " sgd_epoch_equivalents, worker_id, checkpoint_uri, is_final, received_at";

  /**
   * Stores a report unless one with the same (trial, attempt, epoch) is already there: the first
   * copy wins, redeliveries are no-ops. Returns whether this call stored it.
   */
  public boolean insert(Connection c, EpochReport r, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO epoch_reports ("
                + INSERT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      bind(ps, 0, r, now);
      boolean stored = ps.executeUpdate() == 1;
      if (stored) {
        countStored(c, r.studyId(), 1);
      }
      return stored;
    }
  }

  /** Rows a multi-row insert carries at most (PostgreSQL binds at most 32,767 parameters). */
  static final int INSERT_ROWS = 500;

  /**
   * Stores reports none of which is stored yet (the caller checked under the study's lock, {@link
   * #storedKeys}): on PostgreSQL in one {@code COPY}, elsewhere in multi-row statements of up to
   * {@value #INSERT_ROWS} rows; {@code received} holds each report's arrival time. Returns how many
   * rows were inserted: fewer than given means a copy was there after all, and the caller must roll
   * back (on PostgreSQL such a copy fails the {@code COPY} with a unique violation instead).
   */
  public int insertAll(Connection c, List<EpochReport> rs, List<Instant> received)
      throws SQLException {
    if (rs.stream().map(EpochReport::studyId).distinct().count() > 1) {
      int inserted = 0; // one study at a time, so that each study's count gets what it stored
      for (String studyId : rs.stream().map(EpochReport::studyId).distinct().toList()) {
        List<EpochReport> of = new java.util.ArrayList<>();
        List<Instant> at = new java.util.ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
          if (rs.get(i).studyId().equals(studyId)) {
            of.add(rs.get(i));
            at.add(received.get(i));
          }
        }
        inserted += insertAll(c, of, at);
      }
      return inserted;
    }
    int inserted = 0;
    if (c.isWrapperFor(PGConnection.class)) {
      inserted = copy(c.unwrap(PGConnection.class), rs, received);
    } else {
      inserted = insertRows(c, rs, received);
    }
    if (inserted > 0) {
      countStored(c, rs.get(0).studyId(), inserted);
    }
    return inserted;
  }

  /**
   * PostgreSQL: the rows in one {@code COPY … FROM STDIN} in the binary format, each value as the
   * column's own binary representation (no number or time is formatted as text and parsed back).
   * The caller checked that none is stored yet; a copy there after all fails the statement with a
   * unique violation, which rolls the transaction back and runs it again (as a short count does for
   * the multi-row insert). COPY skips the per-row executor work and the speculative insertion of
   * {@code ON CONFLICT}, and binds no parameters.
   */
  private static int copy(PGConnection pg, List<EpochReport> rs, List<Instant> received)
      throws SQLException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + rs.size() * 256);
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      out.write(COPY_SIGNATURE);
      out.writeInt(0); // flags
      out.writeInt(0); // header extension length
      for (int i = 0; i < rs.size(); i++) {
        EpochReport r = rs.get(i);
        Metrics m = r.metrics();
        Cost cost = r.cost();
        out.writeShort(18);
        copyText(out, r.trialId());
        copyInt(out, r.attempt());
        copyInt(out, r.epoch());
        copyText(out, r.studyId());
        copyDouble(out, m.valAccuracy());
        copyDouble(out, m.valLoss());
        copyDouble(out, m.trainLoss());
        copyDouble(out, m.testAccuracy());
        copyLong(out, cost.forwardPasses());
        copyLong(out, cost.backwardPasses());
        copyLong(out, cost.examplesBackward());
        copyDouble(out, cost.samStepFraction());
        copyDouble(out, cost.wallSeconds());
        copyDouble(out, cost.sgdEpochEquivalents());
        copyText(out, r.workerId());
        copyText(out, r.checkpointUri());
        out.writeInt(1);
        out.writeByte(r.finalEpoch() ? 1 : 0);
        copyLong(out, Columns.postgresMicros(received.get(i)));
      }
      out.writeShort(-1); // end of data
      return (int)
          pg.getCopyAPI()
              .copyIn(
                  "COPY epoch_reports (" + INSERT_COLUMNS + ") FROM STDIN WITH (FORMAT binary)",
                  new ByteArrayInputStream(bytes.toByteArray()));
    } catch (IOException e) {
      throw new SQLException("COPY into epoch_reports failed: " + e.getMessage(), "08006", e);
    }
  }

  /** The first 11 bytes of PostgreSQL's binary COPY format. */
  private static final byte[] COPY_SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };

  private static void copyText(DataOutputStream out, String value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static void copyInt(DataOutputStream out, int value) throws IOException {
    out.writeInt(4);
    out.writeInt(value);
  }

  private static void copyLong(DataOutputStream out, long value) throws IOException {
    out.writeInt(8);
    out.writeLong(value);
  }

  private static void copyDouble(DataOutputStream out, double value) throws IOException {
    out.writeInt(8);
    out.writeDouble(value);
  }

  private static void copyDouble(DataOutputStream out, Double value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
    } else {
      copyDouble(out, value.doubleValue());
    }
  }

  /** Other databases: multi-row {@code INSERT … ON CONFLICT DO NOTHING} statements. */
  private static int insertRows(Connection c, List<EpochReport> rs, List<Instant> received)
      throws SQLException {
    int inserted = 0;
    for (int from = 0; from < rs.size(); from += INSERT_ROWS) {
      int to = Math.min(rs.size(), from + INSERT_ROWS);
      StringBuilder sql =
          new StringBuilder("INSERT INTO epoch_reports (" + INSERT_COLUMNS + ") VALUES ");
      for (int i = from; i < to; i++) {
        sql.append(i == from ? "" : ", ")
            .append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      }
      sql.append(" ON CONFLICT DO NOTHING");
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int p = 0;
        for (int i = from; i < to; i++) {
          bind(ps, p, rs.get(i), received.get(i));
          p += 18;
        }
        inserted += ps.executeUpdate();
      }
    }
    return inserted;
  }

  /** Adds {@code n} stored reports to the study's count ({@link #countByStudy}). */
  private static void countStored(Connection c, String studyId, int n) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE studies SET reports_stored = reports_stored + ? WHERE id = ?")) {
      ps.setInt(1, n);
      ps.setString(2, studyId);
      ps.executeUpdate();
    }
  }

  /**
   * The keys {@link #key} of the stored reports of these trials with an epoch in [{@code minEpoch},
   * {@code maxEpoch}]: what a batch of reports finds already there.
   */
  public java.util.Set<String> storedKeys(
      Connection c, java.util.Collection<String> trialIds, int minEpoch, int maxEpoch)
      throws SQLException {
    java.util.Set<String> out = new java.util.HashSet<>();
    List<String> ids = new ArrayList<>(trialIds);
    for (int from = 0; from < ids.size(); from += INSERT_ROWS) {
      List<String> part = ids.subList(from, Math.min(ids.size(), from + INSERT_ROWS));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT trial_id, attempt, epoch FROM epoch_reports WHERE trial_id IN ("
                  + Columns.placeholders(part.size())
                  + ") AND epoch >= ? AND epoch <= ?")) {
        int p = 1;
        for (String id : part) {
          ps.setString(p++, id);
        }
        ps.setInt(p++, minEpoch);
        ps.setInt(p, maxEpoch);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(key(rs.getString(1), rs.getInt(2), rs.getInt(3)));
          }
        }
      }
    }
    return out;
  }

  /** A report's identity, (trial, attempt, epoch), as one string. */
  public static String key(String trialId, int attempt, int epoch) {
    return trialId + '\u0000' + attempt + '\u0000' + epoch;
  }

  private static void bind(PreparedStatement ps, int p, EpochReport r, Instant now)
      throws SQLException {
    Metrics m = r.metrics();
    Cost cost = r.cost();
    ps.setString(p + 1, r.trialId());
    ps.setInt(p + 2, r.attempt());
    ps.setInt(p + 3, r.epoch());
    ps.setString(p + 4, r.studyId());
    Columns.setDouble(ps, p + 5, m.valAccuracy());
    Columns.setDouble(ps, p + 6, m.valLoss());
    Columns.setDouble(ps, p + 7, m.trainLoss());
    Columns.setDouble(ps, p + 8, m.testAccuracy());
    ps.setLong(p + 9, cost.forwardPasses());
    ps.setLong(p + 10, cost.backwardPasses());
    ps.setLong(p + 11, cost.examplesBackward());
    ps.setDouble(p + 12, cost.samStepFraction());
    ps.setDouble(p + 13, cost.wallSeconds());
    ps.setDouble(p + 14, cost.sgdEpochEquivalents());
    ps.setString(p + 15, r.workerId());
    ps.setString(p + 16, r.checkpointUri());
    ps.setBoolean(p + 17, r.finalEpoch());
    Columns.setInstant(ps, p + 18, now);
  }

  public Optional<StoredReport> find(Connection c, String trialId, int attempt, int epoch)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM epoch_reports r WHERE r.trial_id = ? AND r.attempt = ? AND r.epoch = ?")) {
      ps.setString(1, trialId);
      ps.setInt(2, attempt);
      ps.setInt(3, epoch);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /**
   * The stored reports of these (trial, attempt, epoch) triples, by {@link #key}: {@link #find} of
   * many in a statement per {@value #INSERT_ROWS} triples. The three lists are parallel.
   */
  public Map<String, StoredReport> findAll(
      Connection c, List<String> trialIds, List<Integer> attempts, List<Integer> epochs)
      throws SQLException {
    Map<String, StoredReport> out = new HashMap<>();
    for (int from = 0; from < trialIds.size(); from += INSERT_ROWS) {
      int to = Math.min(trialIds.size(), from + INSERT_ROWS);
      StringBuilder where = new StringBuilder();
      for (int i = from; i < to; i++) {
        where
            .append(i == from ? "" : " OR ")
            .append("(r.trial_id = ? AND r.attempt = ? AND r.epoch = ?)");
      }
      try (PreparedStatement ps =
          c.prepareStatement("SELECT " + COLUMNS + " FROM epoch_reports r WHERE " + where)) {
        int p = 1;
        for (int i = from; i < to; i++) {
          ps.setString(p++, trialIds.get(i));
          ps.setInt(p++, attempts.get(i));
          ps.setInt(p++, epochs.get(i));
        }
        for (StoredReport r : rows(ps)) {
          out.put(key(r.trialId(), r.attempt(), r.epoch()), r);
        }
      }
    }
    return out;
  }

  /** Every report of a trial, by epoch then attempt. */
  public List<StoredReport> listByTrial(Connection c, String trialId) throws SQLException {
    return listByTrial(c, trialId, 0);
  }

  /** A trial's reports of the epochs after {@code afterEpoch}, by epoch then attempt. */
  public List<StoredReport> listByTrial(Connection c, String trialId, int afterEpoch)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM epoch_reports r WHERE r.trial_id = ? AND r.epoch > ?"
                + " ORDER BY r.epoch, r.attempt")) {
      ps.setString(1, trialId);
      ps.setInt(2, afterEpoch);
      return rows(ps);
    }
  }

  /** Every report of a study grouped by trial, each trial's by epoch then attempt. */
  public Map<String, List<StoredReport>> listByStudy(Connection c, String studyId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM epoch_reports r WHERE r.study_id = ? ORDER BY r.trial_id, r.epoch, r.attempt")) {
      ps.setString(1, studyId);
      Map<String, List<StoredReport>> byTrial = new LinkedHashMap<>();
      for (StoredReport r : rows(ps)) {
        byTrial.computeIfAbsent(r.trialId(), k -> new ArrayList<>()).add(r);
      }
      return byTrial;
    }
  }

  /**
   * Every report of the given trials grouped by trial, each trial's by epoch then attempt (a page
   * of trials: one query, however many trials the study has).
   */
  public Map<String, List<StoredReport>> listByTrials(Connection c, List<String> trialIds)
      throws SQLException {
    Map<String, List<StoredReport>> byTrial = new LinkedHashMap<>();
    if (trialIds.isEmpty()) {
      return byTrial;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM epoch_reports r WHERE r.trial_id IN ("
                + Columns.placeholders(trialIds.size())
                + ") ORDER BY r.trial_id, r.epoch, r.attempt")) {
      for (int i = 0; i < trialIds.size(); i++) {
        ps.setString(i + 1, trialIds.get(i));
      }
      for (StoredReport r : rows(ps)) {
        byTrial.computeIfAbsent(r.trialId(), k -> new ArrayList<>()).add(r);
      }
      return byTrial;
    }
  }

  /**
   * The report each trial's summary shows: its current attempt's last epoch, else (a retry that has
   * not reported yet) the newest epoch any attempt reported; trials without a report are absent.
   * One query for the page, plus one per retried trial whose new attempt has not reported.
   */
  public Map<String, StoredReport> lastReports(Connection c, List<TrialRow> trials)
      throws SQLException {
    Map<String, StoredReport> out = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (TrialRow t : trials) {
      if (t.lastEpoch() != null) {
        ids.add(t.trialId());
      }
    }
    if (!ids.isEmpty()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              LAST_SELECT + " WHERE t.trial_id IN (" + Columns.placeholders(ids.size()) + ")")) {
        for (int i = 0; i < ids.size(); i++) {
          ps.setString(i + 1, ids.get(i));
        }
        for (StoredReport r : rows(ps)) {
          out.put(r.trialId(), r);
        }
      }
    }
    return withOlderAttempts(c, trials, out);
  }

  /** As {@link #lastReports}, for every trial of a study (its {@code trials}) in one query. */
  public Map<String, StoredReport> lastReportsOfStudy(
      Connection c, String studyId, List<TrialRow> trials) throws SQLException {
    Map<String, StoredReport> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(LAST_SELECT + " WHERE t.study_id = ?")) {
      ps.setString(1, studyId);
      for (StoredReport r : rows(ps)) {
        out.put(r.trialId(), r);
      }
    }
    return withOlderAttempts(c, trials, out);
  }

  private static final String LAST_SELECT =
      "SELECT "
          + COLUMNS
          + " FROM trials t JOIN epoch_reports r ON r.trial_id = t.trial_id AND r.attempt = t.attempt"
          + " AND r.epoch = t.last_epoch";

  private Map<String, StoredReport> withOlderAttempts(
      Connection c, List<TrialRow> trials, Map<String, StoredReport> out) throws SQLException {
    for (TrialRow t : trials) {
      // lastEpoch is the highest epoch of the current attempt: null on attempt 1 means no report
      boolean mayHaveOlder =
          t.lastEpoch() == null ? t.attempt() > 1 : !out.containsKey(t.trialId());
      if (mayHaveOlder) {
        newest(c, t.trialId()).ifPresent(r -> out.put(t.trialId(), r));
      }
    }
    return out;
  }

  /** The report of a trial's highest epoch (its latest attempt when several reported it). */
  public Optional<StoredReport> newest(Connection c, String trialId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM epoch_reports r WHERE r.trial_id = ? ORDER BY r.epoch DESC, r.attempt DESC LIMIT 1")) {
      ps.setString(1, trialId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /**
   * The latest stored epoch of {@code attempt} in {@code (afterEpoch, upToEpoch]} that names a
   * checkpoint, as {@code [epoch, checkpointUri]}; empty if there is none.
   */
  public Optional<StoredReport> latestCheckpoint(
      Connection c, String trialId, int attempt, int afterEpoch, int upToEpoch)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM epoch_reports r WHERE r.trial_id = ? AND r.attempt = ? AND r.epoch > ? AND r.epoch <= ?"
                + " AND r.checkpoint_uri IS NOT NULL ORDER BY r.epoch DESC LIMIT 1")) {
      ps.setString(1, trialId);
      ps.setInt(2, attempt);
      ps.setInt(3, afterEpoch);
      ps.setInt(4, upToEpoch);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /** The study's stored reports, counted as they are inserted (0 for an unknown study). */
  public long countByStudy(Connection c, String studyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COALESCE(MAX(reports_stored), 0) FROM studies WHERE id = ?")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * A completed trial with the report of its last epoch (of its last attempt): what "best" ranks.
   */
  public record CompletedTrial(TrialRow trial, StoredReport last) {}

  private static final String COMPLETED_SELECT =
      "SELECT t.trial_id AS t_trial_id, t.study_id AS t_study_id, t.number AS t_number, t.params AS t_params, t.config AS t_config,"
          + " t.state AS t_state, t.attempt AS t_attempt, t.last_epoch AS t_last_epoch, t.reason AS t_reason,"
          + " t.created_at AS t_created_at, t.updated_at AS t_updated_at, "
          + COLUMNS
          + " FROM trials t JOIN epoch_reports r ON r.trial_id = t.trial_id AND r.attempt = t.attempt AND r.epoch = t.last_epoch"
          + " WHERE t.study_id = ? AND t.state = ?";

  public List<CompletedTrial> completedTrials(Connection c, String studyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(COMPLETED_SELECT + " ORDER BY t.number, t.trial_id")) {
      ps.setString(1, studyId);
      ps.setString(2, TrialState.COMPLETED.wireName());
      try (ResultSet rs = ps.executeQuery()) {
        List<CompletedTrial> out = new ArrayList<>();
        while (rs.next()) {
          out.add(completed(rs));
        }
        return out;
      }
    }
  }

  /**
   * A completed trial's values of two metrics at its last epoch, as {@link #completedTrials} pairs
   * them; a value is null when the report has none.
   */
  public record CompletedPoint(
      String trialId, Integer number, int attempt, int epoch, Double x, Double y) {}

  /**
   * {@link #completedTrials} narrowed to two metric columns: the candidates of a front read without
   * the trials' parameters, configurations and the reports' other columns.
   */
  public List<CompletedPoint> completedPoints(
      Connection c, String studyId, String xMetric, String yMetric) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT t.trial_id, t.number, r.attempt, r.epoch, r."
                + column(xMetric)
                + " AS x, r."
                + column(yMetric)
                + " AS y FROM trials t JOIN epoch_reports r ON r.trial_id = t.trial_id"
                + " AND r.attempt = t.attempt AND r.epoch = t.last_epoch"
                + " WHERE t.study_id = ? AND t.state = ? ORDER BY t.number, t.trial_id")) {
      ps.setString(1, studyId);
      ps.setString(2, TrialState.COMPLETED.wireName());
      try (ResultSet rs = ps.executeQuery()) {
        List<CompletedPoint> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new CompletedPoint(
                  rs.getString(1),
                  Columns.getInteger(rs, "number"),
                  rs.getInt(3),
                  rs.getInt(4),
                  Columns.getDouble(rs, "x"),
                  Columns.getDouble(rs, "y")));
        }
        return out;
      }
    }
  }

  private static CompletedTrial completed(ResultSet rs) throws SQLException {
    TrialRow t =
        new TrialRow(
            rs.getString("t_trial_id"),
            rs.getString("t_study_id"),
            Columns.getInteger(rs, "t_number"),
            rs.getString("t_params"),
            rs.getString("t_config"),
            TrialState.fromWire(rs.getString("t_state")),
            rs.getInt("t_attempt"),
            Columns.getInteger(rs, "t_last_epoch"),
            rs.getString("t_reason"),
            Columns.getInstant(rs, "t_created_at"),
            Columns.getInstant(rs, "t_updated_at"));
    return new CompletedTrial(t, row(rs));
  }

  /**
   * The column of {@code epoch_reports} holding a metric of {@link MetricCatalogue}.
   *
   * @throws IllegalArgumentException for any other name (never spliced into SQL)
   */
  public static String column(String metric) {
    return MetricCatalogue.find(metric)
        .map(Metric::column)
        .orElseThrow(() -> new IllegalArgumentException("no column for metric '" + metric + "'"));
  }

  /**
   * The best completed trial by {@code metric} at its last epoch (as {@link #completedTrials} pairs
   * them), finite values only, optionally among those whose cost is at most {@code maxCost}; ties
   * go to the lower trial number. The database sorts and returns one row.
   */
  public Optional<CompletedTrial> bestCompleted(
      Connection c, String studyId, String metric, boolean maximize, Double maxCost)
      throws SQLException {
    String col = "r." + column(metric);
    try (PreparedStatement ps =
        c.prepareStatement(
            COMPLETED_SELECT
                + " AND "
                + col
                + " BETWEEN ? AND ?"
                + (maxCost == null ? "" : " AND r.sgd_epoch_equivalents <= ?")
                + " ORDER BY "
                + col
                + (maximize ? " DESC" : " ASC")
                + ", t.number, t.trial_id LIMIT 1")) {
      ps.setString(1, studyId);
      ps.setString(2, TrialState.COMPLETED.wireName());
      ps.setDouble(3, -Double.MAX_VALUE);
      ps.setDouble(4, Double.MAX_VALUE);
      if (maxCost != null) {
        ps.setDouble(5, maxCost);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(completed(rs)) : Optional.empty();
      }
    }
  }

  /**
   * The best finite value of {@code metric} among the completed trials at their last epoch, or
   * null.
   */
  public Double bestValue(Connection c, String studyId, String metric, boolean maximize)
      throws SQLException {
    String col = "r." + column(metric);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + (maximize ? "MAX(" : "MIN(")
                + col
                + ") FROM trials t JOIN epoch_reports r ON r.trial_id = t.trial_id AND r.attempt = t.attempt"
                + " AND r.epoch = t.last_epoch WHERE t.study_id = ? AND t.state = ? AND "
                + col
                + " BETWEEN ? AND ?")) {
      ps.setString(1, studyId);
      ps.setString(2, TrialState.COMPLETED.wireName());
      ps.setDouble(3, -Double.MAX_VALUE);
      ps.setDouble(4, Double.MAX_VALUE);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        double v = rs.getDouble(1);
        return rs.wasNull() ? null : v;
      }
    }
  }

  /**
   * How many completed trials have a report at their last epoch, and how many of those cost at most
   * {@code maxCost} (the same as the first without a cap): why {@link #bestCompleted} found none.
   */
  public int[] completedCounts(Connection c, String studyId, Double maxCost) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*), SUM(CASE WHEN r.sgd_epoch_equivalents <= ? THEN 1 ELSE 0 END)"
                + " FROM trials t JOIN epoch_reports r ON r.trial_id = t.trial_id AND r.attempt = t.attempt"
                + " AND r.epoch = t.last_epoch WHERE t.study_id = ? AND t.state = ?")) {
      ps.setDouble(1, maxCost == null ? Double.MAX_VALUE : maxCost);
      ps.setString(2, studyId);
      ps.setString(3, TrialState.COMPLETED.wireName());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        int all = rs.getInt(1);
        return new int[] {all, maxCost == null ? all : rs.getInt(2)};
      }
    }
  }

  private static List<StoredReport> rows(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<StoredReport> out = new ArrayList<>();
      while (rs.next()) {
        out.add(row(rs));
      }
      return out;
    }
  }

  private static StoredReport row(ResultSet rs) throws SQLException {
    Metrics metrics =
        new Metrics(
            Columns.getDouble(rs, "val_accuracy"),
            Columns.getDouble(rs, "val_loss"),
            Columns.getDouble(rs, "train_loss"),
            Columns.getDouble(rs, "test_accuracy"));
    Cost cost =
        new Cost(
            rs.getLong("forward_passes"),
            rs.getLong("backward_passes"),
            rs.getLong("examples_backward"),
            rs.getDouble("sam_step_fraction"),
            rs.getDouble("wall_seconds"),
            rs.getDouble("sgd_epoch_equivalents"));
    return new StoredReport(
        rs.getString("study_id"),
        rs.getString("trial_id"),
        rs.getInt("attempt"),
        rs.getInt("epoch"),
        metrics,
        cost,
        rs.getString("worker_id"),
        rs.getString("checkpoint_uri"),
        rs.getBoolean("is_final"),
        Columns.getInstant(rs, "received_at"));
  }
}
