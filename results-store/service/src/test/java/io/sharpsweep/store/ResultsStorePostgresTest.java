package io.sharpsweep.store;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.store.db.DatabaseKind;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same scenarios on PostgreSQL (127.0.0.1:5432, database {@code test}, a fresh schema per run).
 * Fails when PostgreSQL is down; {@code -Dsharpsweep.test.postgres=false} skips it on purpose.
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@ExtendWith(PostgresRequired.class)
class ResultsStorePostgresTest extends ResultsStoreScenarios {
  @Override
  DatabaseKind expectedDatabase() {
    return DatabaseKind.POSTGRESQL;
  }
}
