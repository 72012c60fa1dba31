package io.sharpsweep.sampler.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CategoricalEncodingTest {

  @Test
  void eachChoiceOwnsAnEqualBinAndComesBackAsTheSameObject() {
    String sgd = new String("sgd");
    List<Object> choices = new ArrayList<>(List.of(sgd, 0.5, true, 3L));
    CategoricalEncoding e = new CategoricalEncoding(choices);
    assertThat(e.decode(0.0)).isSameAs(sgd);
    assertThat(e.decode(0.2499)).isSameAs(sgd);
    assertThat(e.decode(0.25)).isEqualTo(0.5);
    assertThat(e.decode(0.74)).isEqualTo(true);
    assertThat(e.decode(1.0)).isEqualTo(3L);
    assertThat(e.encode(true)).isEqualTo(0.625);
    assertThat(e.encode(3)).isEqualTo(0.875); // numbers match by value: 3 is the choice 3L
    assertThatThrownBy(() -> e.encode("sam")).isInstanceOf(IllegalArgumentException.class);
  }
}
