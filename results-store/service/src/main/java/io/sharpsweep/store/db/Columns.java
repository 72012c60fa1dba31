package io.sharpsweep.store.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Binding and reading of nullable and time columns the same way on PostgreSQL and H2 (JDBC 4.2
 * types).
 */
final class Columns {
  private Columns() {}

  /** The most values one {@code IN (...)} list binds (longer lists take several statements). */
  static final int IN_LIST = 500;

  /** Reads the current row of a result set. */
  @FunctionalInterface
  interface RowReader<R> {
    R read(ResultSet rs) throws SQLException;
  }

  /**
   * The rows of {@code before + "(?, …)" + after} for {@code values}, one statement per {@link
   * #IN_LIST} of them, in statement order: {@code leading} is bound first, then the part's values.
   */
  static <R> List<R> selectIn(
      Connection c,
      String before,
      String after,
      List<?> leading,
      List<?> values,
      RowReader<R> reader)
      throws SQLException {
    List<R> out = new ArrayList<>();
    for (int from = 0; from < values.size(); from += IN_LIST) {
      List<?> part = values.subList(from, Math.min(values.size(), from + IN_LIST));
      try (PreparedStatement ps =
          c.prepareStatement(before + "(" + placeholders(part.size()) + ")" + after)) {
        int p = 1;
        for (Object v : leading) {
          ps.setObject(p++, v);
        }
        for (Object v : part) {
          ps.setObject(p++, v);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(reader.read(rs));
          }
        }
      }
    }
    return out;
  }

  /** {@code n} JDBC placeholders separated by commas, for an {@code IN (...)} list. */
  static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  static void setInstant(PreparedStatement ps, int i, Instant value) throws SQLException {
    if (value == null) {
      ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(i, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }
  }

  /**
   * An instant as PostgreSQL's text input reads it (ISO 8601, UTC), rounded half up to the
   * microseconds a {@code TIMESTAMP WITH TIME ZONE} keeps, as the driver rounds a bound value.
   */
  static String micros(Instant value) {
    return value.plusNanos(500).truncatedTo(ChronoUnit.MICROS).toString();
  }

  /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in microseconds after Java's. */
  private static final long POSTGRES_EPOCH_MICROS = 946_684_800L * 1_000_000L;

  /**
   * An instant as PostgreSQL's binary {@code timestamptz}: microseconds since 2000-01-01 UTC,
   * rounded half up as {@link #micros} rounds.
   */
  static long postgresMicros(Instant value) {
    return value.getEpochSecond() * 1_000_000L
        + (value.getNano() + 500) / 1_000
        - POSTGRES_EPOCH_MICROS;
  }

  static Instant getInstant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static void setInteger(PreparedStatement ps, int i, Integer value) throws SQLException {
    if (value == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, value);
    }
  }

  static Integer getInteger(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  static void setDouble(PreparedStatement ps, int i, Double value) throws SQLException {
    if (value == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, value);
    }
  }

  static Double getDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }
}
