package io.sharpsweep.store;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * Runs the store on its {@code postgresql} datasource (the same build as the H2 tests, another
 * run-time choice).
 */
public class PostgresProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    // H2 could not create its file under /proc: the run fails if the inactive h2 datasource is ever
    // opened.
    return Map.of(
        "sharpsweep.store.db",
        "postgresql",
        "sharpsweep.store.data-dir",
        "/proc/sharpsweep-h2-must-stay-inactive");
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(PostgresSchemaResource.class));
  }
}
