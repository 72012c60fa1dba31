package io.sharpsweep.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
  @TempDir Path dir;

  @Test
  void readsPlainAndGzippedFilesAlike() throws Exception {
    IdxFixtures.write(dir.resolve("a-images"), IdxFixtures.images(3, 28, 28), false);
    IdxFixtures.write(dir.resolve("b-images.gz"), IdxFixtures.images(3, 28, 28), true);
    IdxFile.Images plain = IdxFile.readImages(IdxFile.locate(dir, "a-images"), 0);
    IdxFile.Images gz = IdxFile.readImages(IdxFile.locate(dir, "b-images"), 0);
    assertThat(gz.file().getFileName().toString()).isEqualTo("b-images.gz");
    assertThat(plain.count()).isEqualTo(3);
    assertThat(plain.rows()).isEqualTo(28);
    assertThat(gz.pixels()).isEqualTo(plain.pixels());
    assertThat(plain.pixels()[784 + 5] & 0xff).isEqualTo(6); // image 1, pixel 5
  }

  @Test
  void limitReadsOnlyTheFirstExamples() throws Exception {
    IdxFixtures.write(dir.resolve("l"), IdxFixtures.labels(25), true);
    IdxFile.Labels labels = IdxFile.readLabels(IdxFile.locate(dir, "l"), 12, 10);
    assertThat(labels.count()).isEqualTo(12);
    assertThat(labels.labels()[11]).isEqualTo((byte) 1);
  }

  @Test
  void missingFileNamesBothCandidates() {
    assertThatThrownBy(() -> IdxFile.locate(dir, "train-images-idx3-ubyte"))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(dir.resolve("train-images-idx3-ubyte").toString())
        .hasMessageContaining("train-images-idx3-ubyte.gz")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> IdxFile.locate(dir.resolve("nope"), "x"))
        .hasMessageContaining("dataset directory")
        .hasMessageContaining("nope");
  }

  @Test
  void wrongMagicIsNamed() throws Exception {
    IdxFixtures.write(dir.resolve("labels-as-images"), IdxFixtures.labels(4), false);
    assertThatThrownBy(() -> IdxFile.readImages(dir.resolve("labels-as-images"), 0))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("labels-as-images")
        .hasMessageContaining("magic number is 0x801, expected 0x803");
  }

  @Test
  void truncatedAndOverlongFilesAreCorrupt() throws Exception {
    byte[] full = IdxFixtures.images(2, 28, 28);
    IdxFixtures.write(dir.resolve("short"), Arrays.copyOf(full, full.length - 1), true);
    assertThatThrownBy(() -> IdxFile.readImages(dir.resolve("short"), 0))
        .hasMessageContaining("short")
        .hasMessageContaining("truncated");
    IdxFixtures.write(dir.resolve("long"), Arrays.copyOf(full, full.length + 3), false);
    assertThatThrownBy(() -> IdxFile.readImages(dir.resolve("long"), 0))
        .hasMessageContaining("bytes after the last example");
    Files.write(dir.resolve("empty"), new byte[2]);
    assertThatThrownBy(() -> IdxFile.readLabels(dir.resolve("empty"), 0, 10))
        .hasMessageContaining("truncated header");
  }

  @Test
  void notGzipAtAllIsReportedWithTheFile() throws Exception {
    Files.write(dir.resolve("bad.gz"), new byte[] {1, 2, 3, 4, 5});
    assertThatThrownBy(() -> IdxFile.readLabels(dir.resolve("bad.gz"), 0, 10))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("bad.gz")
        .hasMessageContaining("cannot be read");
  }

  @Test
  void labelsOutOfRangeAreRejected() throws Exception {
    IdxFixtures.write(dir.resolve("l"), IdxFixtures.labels(12), false);
    assertThatThrownBy(() -> IdxFile.readLabels(dir.resolve("l"), 0, 5))
        .hasMessageContaining("label 5 of example 5 is not below the class count 5");
  }
}
