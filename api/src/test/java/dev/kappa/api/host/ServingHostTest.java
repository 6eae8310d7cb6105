package dev.kappa.api.host;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.api.VersionedJob;
import dev.kappa.serde.Codec;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Source;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;
import org.apache.kafka.streams.kstream.Grouped;
import org.junit.jupiter.api.Test;

/** A service that is configured wrong refuses to start, and says what to set. */
class ServingHostTest {

  private static final Source<String, String> WORDS =
      Source.of("words", Codec.string(), Codec.string());
  private static final ServingTable<String, Long> COUNTS =
      ServingTable.keyValue("counts", Codec.string(), Codec.longs());
  private static final VersionedJob WORD_COUNT =
      VersionedJob.of(
          Map.of(
              1,
              KappaJob.named("word-count")
                  .source(WORDS)
                  .servingTable(COUNTS)
                  .topology(
                      builder ->
                          builder.aggregate(
                              builder.stream(WORDS)
                                  .groupByKey(
                                      Grouped.with(
                                          "words-by-word",
                                          WORDS.keys().serde(),
                                          WORDS.values().serde())),
                              COUNTS,
                              () -> 0L,
                              (word, text, count) -> count + 1))
                  .build()));

  @Test
  void shouldRefuseToStartWithoutAKafkaCluster() {
    assertThatThrownBy(() -> start(Map.of()))
        .isInstanceOf(io.micronaut.context.exceptions.ConfigurationException.class)
        .hasMessageContaining("Set kappa.bootstrap-servers (or KAPPA_BOOTSTRAP_SERVERS)");
  }

  @Test
  void shouldRefuseToHostAJobThatIsNotOnTheClassPath() {
    assertThatThrownBy(
            () ->
                start(
                    Map.of(
                        "kappa.bootstrap-servers", "localhost:1",
                        "kappa.jobs", "word-count,sentences")))
        .isInstanceOf(io.micronaut.context.exceptions.ConfigurationException.class)
        .hasMessageContaining(
            "kappa.jobs names job 'sentences', which is not on the class path; the jobs found are"
                + " [word-count]");
  }

  private static void start(Map<String, Object> properties) {
    Map<String, Object> all = new java.util.HashMap<>(properties);
    all.put("micronaut.server.port", -1);
    try (EmbeddedServer server =
        ApplicationContext.builder(all)
            .singletons(WORD_COUNT)
            .deduceEnvironment(false)
            .run(EmbeddedServer.class)) {
      server.getPort();
    }
  }
}
