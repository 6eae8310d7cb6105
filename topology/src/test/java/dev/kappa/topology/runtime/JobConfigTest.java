package dev.kappa.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.serde.Codec;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.Sink;
import dev.kappa.topology.Source;
import java.nio.file.Path;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a job keeps its state when the configuration does not say. */
class JobConfigTest {

  private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));
  private static final Source<String, String> WORDS =
      Source.of("words", Codec.string(), Codec.string());
  private static final Sink<String, String> COPIES =
      Sink.of("copies", Codec.string(), Codec.string());
  private static final KappaJob COPY =
      KappaJob.named("copy")
          .source(WORDS)
          .sink(COPIES)
          .topology(b -> b.to(b.stream(WORDS), COPIES))
          .build();

  @Test
  void shouldKeepStateInANewDirectoryOfThisProcessWhenNoneIsSet() {
    JobConfig config = JobConfig.builder("localhost:9092").build();

    Path directory = config.stateDirectory();
    // Not the directory every process and run used to share, but one created for this process.
    assertThat(directory).isNotEqualTo(TMP.resolve("kappa-state"));
    assertThat(directory.getParent()).isEqualTo(TMP);
    assertThat(directory.getFileName().toString()).startsWith("kappa-state-");
    assertThat(directory).isDirectory();
    assertThat(config.streamsConfig(COPY.topology()))
        .containsEntry(StreamsConfig.STATE_DIR_CONFIG, directory.toString());
  }

  @Test
  void shouldShareTheDirectoryOfThisProcessAmongConfigurationsThatSetNone() {
    JobConfig first = JobConfig.builder("localhost:9092").build();
    JobConfig second = JobConfig.builder("other:9092").threads(2).build();

    // One directory per process: a copy with another setting finds the same state again.
    assertThat(second.stateDirectory()).isEqualTo(first.stateDirectory());
    assertThat(first.with(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000).stateDirectory())
        .isEqualTo(first.stateDirectory());
  }

  @Test
  void shouldKeepStateWhereTheConfigurationSays(@TempDir Path state) {
    JobConfig config = JobConfig.builder("localhost:9092").stateDirectory(state).build();

    assertThat(config.stateDirectory()).isEqualTo(state);
    assertThat(config.with(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000).stateDirectory())
        .isEqualTo(state);
  }
}
