package io.sharpsweep.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.protocol.FieldError;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplerOptionsTest {

  @Test
  void typedGettersFallBackAndRecordWhatIsWrong() {
    SamplerOptions o =
        new SamplerOptions(
            Map.of(
                "startup",
                10.0,
                "gamma",
                "0.25",
                "kernel",
                "rbf",
                "multivariate",
                true,
                "typo",
                1));
    assertThat(o.integer("startup", 5, 1, 100)).isEqualTo(10);
    assertThat(o.number("gamma", 0.15, 0, 1)).isEqualTo(0.15);
    assertThat(o.choice("kernel", "matern52", Set.of("matern52", "matern32")))
        .isEqualTo("matern52");
    assertThat(o.bool("multivariate", false)).isTrue();
    assertThat(o.integer("candidates", 24, 1, 1000)).isEqualTo(24);
    assertThat(o.errors("tpe"))
        .containsExactly(
            new FieldError("sampler.options.gamma", "must be a finite number, got \"0.25\""),
            new FieldError(
                "sampler.options.kernel", "must be one of [matern32, matern52], got \"rbf\""),
            new FieldError(
                "sampler.options.typo",
                "is not an option of sampler 'tpe' (its options are [candidates, gamma, kernel,"
                    + " multivariate, startup])"));
  }

  @Test
  void rangesAndIntegralityAreChecked() {
    SamplerOptions o = new SamplerOptions(Map.of("a", 0, "b", 2.5, "c", 7.0));
    o.integer("a", 1, 1, 10);
    o.integer("b", 1, 1, 10);
    o.number("c", 1, 0, 1);
    assertThat(o.errors("x"))
        .extracting(FieldError::message)
        .containsExactly(
            "must be in [1, 10], got 0",
            "must be an integer, got 2.5",
            "must be in [0.0, 1.0], got 7.0");
  }

  @Test
  void aSamplerWithoutOptionsSaysSo() {
    assertThat(new SamplerOptions(Map.of("seed", 3)).errors("random"))
        .containsExactly(
            new FieldError(
                "sampler.options.seed",
                "is not an option of sampler 'random' (it takes no options)"));
    assertThat(SamplerOptions.none().errors("random")).isEmpty();
    assertThat(new SamplerOptions(null).errors("random")).isEmpty();
  }

  @Test
  void snakeCaseOptionsMayBeSpeltInCamelCaseButNotBoth() {
    SamplerOptions camel = new SamplerOptions(Map.of("nStartupTrials", 5));
    assertThat(camel.integer("n_startup_trials", 10, 0, 100)).isEqualTo(5);
    assertThat(camel.errors("tpe")).isEmpty();
    SamplerOptions bad = new SamplerOptions(Map.of("nEiCandidates", 0));
    bad.integer("n_ei_candidates", 24, 1, 100);
    assertThat(bad.errors("tpe"))
        .containsExactly(
            new FieldError("sampler.options.nEiCandidates", "must be in [1, 100], got 0"));
    SamplerOptions both = new SamplerOptions(Map.of("n_startup_trials", 5, "nStartupTrials", 6));
    both.integer("n_startup_trials", 10, 0, 100);
    assertThat(both.errors("tpe"))
        .extracting(FieldError::field)
        .containsExactly("sampler.options.nStartupTrials");
  }
}
