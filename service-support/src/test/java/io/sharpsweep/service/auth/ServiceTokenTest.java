package io.sharpsweep.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceTokenTest {
  @TempDir Path dir;

  @Test
  void readsTheFileWithoutItsTrailingNewlineAndMatchesOnlyTheToken() throws Exception {
    Path f = Files.writeString(dir.resolve("token"), "s3cret-token\n");
    ServiceToken t = new ServiceToken(Optional.of(f), Optional.of("ignored-legacy"));
    assertThat(t.configured()).isTrue();
    assertThat(t.value()).contains("s3cret-token");
    assertThat(t.source()).contains("sharpsweep.auth.token-file");
    assertThat(t.matches("s3cret-token")).isTrue();
    assertThat(t.matches("s3cret-tokem")).isFalse();
    assertThat(t.matches("s3cret-token-and-more")).isFalse();
    assertThat(t.matches("")).isFalse();
    assertThat(t.matches(null)).isFalse();
    assertThat(t.toString()).doesNotContain("s3cret");
  }

  @Test
  void withoutAFileTheDeprecatedValueIsUsedAndWithNeitherNothingIsRequired() {
    ServiceToken legacy = new ServiceToken(Optional.empty(), Optional.of("old"));
    assertThat(legacy.matches("old")).isTrue();
    assertThat(legacy.source()).contains("sharpsweep.api-token");
    ServiceToken none = new ServiceToken(Optional.empty(), Optional.of("  "));
    assertThat(none.configured()).isFalse();
    assertThat(none.matches("anything")).isFalse();
    assertThat(none.value()).isEmpty();
  }

  @Test
  void aMissingOrEmptyFileStopsTheServiceWithoutRevealingAnything() throws Exception {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> new ServiceToken(Optional.of(missing), Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sharpsweep.auth.token-file")
        .hasMessageContaining(missing.toString());
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> new ServiceToken(Optional.of(empty), Optional.empty()))
        .hasMessageContaining("is empty");
  }
}
