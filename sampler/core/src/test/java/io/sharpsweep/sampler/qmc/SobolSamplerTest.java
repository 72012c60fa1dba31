package io.sharpsweep.sampler.qmc;

import static io.sharpsweep.sampler.Requests.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.sampler.Requests;
import io.sharpsweep.sampler.SamplerService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.random.SobolSequenceGenerator;
import org.junit.jupiter.api.Test;

class SobolSamplerTest {
  private static final SearchSpace SQUARE =
      new SearchSpace(
          List.of(ParamSpec.floatParam("x", 0, 1, false), ParamSpec.floatParam("y", 0, 1, false)));

  private final SamplerService service = new SamplerService();

  private static SuggestRequest square(long seed, int count, Map<String, Object> options) {
    return new SuggestRequest(
        SQUARE,
        Requests.ACCURACY,
        new SamplerSpec("sobol", seed, options),
        List.of(),
        List.of(),
        count);
  }

  /** cells[i][j]: how many points have x in [i/8, (i+1)/8) and y in [j/8, (j+1)/8). */
  private static int[][] grid8(List<Map<String, Object>> points) {
    int[][] cells = new int[8][8];
    for (Map<String, Object> p : points) {
      cells[(int) Math.floor((Double) p.get("x") * 8)][(int) Math.floor((Double) p.get("y") * 8)]++;
    }
    return cells;
  }

  @Test
  void theGeneratorsFirst64PointsFillAn8By8GridOnePerCell() {
    // The first 2^6 Sobol' points in 2-D are a (0, 6, 2)-net in base 2: every dyadic box of area
    // 1/64,
    // in particular every cell of the 8x8 grid, holds exactly one point.
    SobolSequenceGenerator sobol = new SobolSequenceGenerator(2);
    int[][] cells = new int[8][8];
    for (int i = 0; i < 64; i++) {
      double[] v = sobol.nextVector();
      cells[(int) (v[0] * 8)][(int) (v[1] * 8)]++;
    }
    for (int[] row : cells) {
      assertThat(row).containsOnly(1);
    }
  }

  @Test
  void skipToGivesThePointThatWalkingReaches() {
    SobolSequenceGenerator walked = new SobolSequenceGenerator(5);
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      points.add(walked.nextVector());
    }
    for (int i : new int[] {0, 1, 2, 17, 39}) {
      assertThat(new SobolSequenceGenerator(5).skipTo(i)).containsExactly(points.get(i));
    }
  }

  @Test
  void withoutTheShiftTheSamplerWalksThePlainSequence() {
    List<Map<String, Object>> points =
        params(service.suggest(square(7, 64, Map.of("shift", false))));
    assertThat(points.get(0)).isEqualTo(Map.of("x", 0.0, "y", 0.0));
    assertThat(points.get(1)).isEqualTo(Map.of("x", 0.5, "y", 0.5));
    for (int[] row : grid8(points)) {
      assertThat(row).containsOnly(1);
    }
  }

  @Test
  void withTheShiftEachRowAndColumnStillHoldsEightPointsAndNoCellMoreThanFour() {
    // A shift modulo 1 keeps each 1-D projection a translate of {k/64}, so every column and row of
    // the grid
    // holds exactly 8 of the 64 points. The 2-D net property is not kept: a shifted 1/8 x 1/8 cell
    // overlaps
    // at most four cells of the unshifted grid, each holding one point, so at most 4 (64 iid
    // uniform
    // points put 5 or more in some cell about one time in five).
    for (long seed = 0; seed < 20; seed++) {
      int[][] cells = grid8(params(service.suggest(square(seed, 64, Map.of()))));
      for (int i = 0; i < 8; i++) {
        int row = 0;
        int column = 0;
        for (int j = 0; j < 8; j++) {
          row += cells[i][j];
          column += cells[j][i];
          assertThat(cells[i][j]).isLessThanOrEqualTo(4);
        }
        assertThat(row).as("seed %d, x-column %d", seed, i).isEqualTo(8);
        assertThat(column).as("seed %d, y-row %d", seed, i).isEqualTo(8);
      }
    }
  }

  @Test
  void aStudyWalksOneSequenceAcrossCalls() {
    List<Map<String, Object>> allAtOnce = params(service.suggest(square(3, 4, Map.of())));
    SuggestRequest firstTwo = square(3, 2, Map.of());
    List<Map<String, Object>> first = params(service.suggest(firstTwo));
    List<Map<String, Object>> next = params(service.suggest(Requests.withPending(firstTwo, first)));
    List<Map<String, Object>> inTwoCalls = new ArrayList<>(first);
    inTwoCalls.addAll(next);
    assertThat(inTwoCalls).isEqualTo(allAtOnce);
  }

  @Test
  void theShiftDependsOnTheSeedOnly() {
    SobolSampler sampler = new SobolSampler(true);
    assertThat(sampler.rotation(1, 3))
        .isEqualTo(sampler.rotation(1, 3))
        .isNotEqualTo(sampler.rotation(2, 3));
    for (double r : sampler.rotation(1, 3)) {
      assertThat(r).isBetween(0.0, 1.0);
    }
    assertThat(new SobolSampler(false).rotation(1, 3)).containsOnly(0.0);
  }

  @Test
  void moreDimensionsThanTheDirectionNumbersCoverAreRefused() {
    List<ParamSpec> many = new ArrayList<>();
    for (int i = 0; i <= SobolSampler.MAX_DIMENSIONS; i++) {
      many.add(ParamSpec.floatParam("p" + i, 0, 1, false));
    }
    SuggestRequest request = Requests.request(new SearchSpace(many), "sobol", 1, 1);
    assertThatThrownBy(() -> service.suggest(request))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.errors()).extracting("field").containsExactly("space.params"));
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> service.suggest(square(1, 1, Map.of("shift", "yes"))))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.errors())
                    .extracting("field")
                    .containsExactly("sampler.options.shift"));
    assertThatThrownBy(() -> service.suggest(square(1, 1, Map.of("scramble", true))))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.errors())
                  .extracting("field")
                  .containsExactly("sampler.options.scramble");
              assertThat(e.errors().get(0).message()).contains("sobol").contains("[shift]");
            });
  }
}
