package io.sharpsweep.store.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Binding and reading of nullable and time columns the same way on PostgreSQL and H2 (JDBC 4.2
 * types).
 */
final class Columns {
  private Columns() {}

  static void setInstant(PreparedStatement ps, int i, Instant value) throws SQLException {
    if (value == null) {
      ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(i, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }
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

  /** {@code ?, ?, …} for an IN list of {@code n} values ({@code n >= 1}). */
  static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }
}
