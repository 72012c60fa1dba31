package io.sharpsweep.protocol.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrialIdsTest {
  private static final Pattern TRIAL_ID_OF_S = Pattern.compile("s-1\\.x-t[0-9]{4,9}");

  @Test
  void studyIdsAreWhatTheirPatternSays() {
    Random random = new Random(3);
    String alphabet = "aZ09._-/ é\u0000\u0660t";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder id = new StringBuilder();
      int n = random.nextInt(i % 100 == 0 ? 260 : 12);
      for (int k = 0; k < n; k++) {
        id.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = id.toString();
      assertThat(TrialIds.isStudyId(s)).as(s).isEqualTo(TrialIds.STUDY_ID.matcher(s).matches());
    }
    assertThat(TrialIds.isStudyId(null)).isFalse();
    assertThat(TrialIds.isStudyId("a".repeat(200))).isTrue();
    assertThat(TrialIds.isStudyId("a".repeat(201))).isFalse();
  }

  @Test
  void trialIdsAreTheStudyIdAndANumberOfFourToNineDigits() {
    String study = "s-1.x";
    for (String suffix :
        List.of(
            "-t0000",
            "-t123456789",
            "-t1234567890",
            "-t123",
            "-t12a4",
            "t0001",
            "-T0001",
            "-t\u0661\u0662\u0663\u0664",
            "",
            "-t",
            "--t0001",
            "-t0001 ")) {
      String id = study + suffix;
      assertThat(TrialIds.isTrialIdOf(study, id))
          .as(id)
          .isEqualTo(TRIAL_ID_OF_S.matcher(id).matches());
    }
    assertThat(TrialIds.isTrialIdOf(study, TrialIds.trialId(study, 7))).isTrue();
    assertThat(TrialIds.isTrialIdOf("other", TrialIds.trialId(study, 7))).isFalse();
  }
}
