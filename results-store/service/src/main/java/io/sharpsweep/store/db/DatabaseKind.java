package io.sharpsweep.store.db;

/** The databases the store runs on; each is a named datasource of the same build. */
public enum DatabaseKind {
  H2("h2"),
  POSTGRESQL("postgresql");

  private final String datasourceName;

  DatabaseKind(String datasourceName) {
    this.datasourceName = datasourceName;
  }

  /** The Quarkus datasource name, as in {@code quarkus.datasource."h2".active}. */
  public String datasourceName() {
    return datasourceName;
  }
}
