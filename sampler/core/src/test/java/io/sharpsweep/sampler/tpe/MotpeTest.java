package io.sharpsweep.sampler.tpe;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.sampler.SamplerOptions;
import io.sharpsweep.sampler.moo.ParEgoSamplerTest;
import io.sharpsweep.sampler.random.RandomSampler;
import org.junit.jupiter.api.Test;

class MotpeTest {

  @Test
  void twoObjectivesUseTheMultiObjectiveSplitAndBeatRandomSearch() {
    // Maximise accuracy, minimise cost (see ParEgoSamplerTest): the free parameter y only costs,
    // so a good front has y near 0; after 40 trials MOTPE's front dominates more than random's.
    double random = ParEgoSamplerTest.hypervolumeAfter(new RandomSampler(), 40);
    double motpe =
        ParEgoSamplerTest.hypervolumeAfter(TpeSampler.fromOptions(SamplerOptions.none()), 40);
    assertThat(motpe).isGreaterThan(random);
  }
}
