package io.sharpsweep.store.db;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of JDBC work on a connection owned by {@link StoreDatabase}. */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
