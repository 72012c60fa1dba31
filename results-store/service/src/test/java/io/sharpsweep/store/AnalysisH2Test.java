package io.sharpsweep.store;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sharpsweep.kafka.KafkaBrokerResource;

/** The analysis scenarios on H2 (a fresh file database under target/). */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class AnalysisH2Test extends AnalysisScenarios {}
