package io.sharpsweep.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.protocol.study.StudySpecValidator;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A study spec is validated where this module is not on the class path, against the names in {@link
 * StudySpecValidator#SAMPLERS}: they must be exactly the registered samplers, or a study could name
 * a sampler this service refuses, or miss one it offers.
 */
class SamplerNamesAgreementTest {
  @Test
  void theSpecsSamplerNamesAreTheRegisteredOnes() {
    assertThat(new TreeSet<>(StudySpecValidator.SAMPLERS))
        .isEqualTo(new TreeSet<>(SamplerRegistry.standard().types()));
  }
}
