package io.sharpsweep.store;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sharpsweep.kafka.KafkaBrokerResource;
import org.junit.jupiter.api.extension.ExtendWith;

/** The control plane's scenarios on PostgreSQL (see {@link ResultsStorePostgresTest}). */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@ExtendWith(PostgresRequired.class)
class ControlPlanePostgresTest extends ControlPlaneScenarios {}
