package io.sharpsweep.store;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sharpsweep.kafka.KafkaBrokerResource;

/** The control plane's scenarios on the embedded H2 database. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class ControlPlaneH2Test extends ControlPlaneScenarios {}
