package dev.kappa.reprocessing.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.serde.Codec;
import dev.kappa.topology.JobStreamsBuilder;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.Sink;
import dev.kappa.topology.Source;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.junit.jupiter.api.Test;

class RecordTimesTest {

  private static final Source<String, String> ALARMS =
      Source.of("alarms", Codec.string(), Codec.string());
  private static final Source<String, String> READINGS =
      Source.of("readings", Codec.string(), Codec.string());
  private static final Sink<String, String> JOINED =
      Sink.of("joined", Codec.string(), Codec.string());

  /** Alarms joined with the readings re-keyed by node: the join task reads a repartition topic. */
  private static final KappaJob JOB =
      KappaJob.named("nodes")
          .source(ALARMS)
          .source(READINGS)
          .sink(JOINED)
          .topology(RecordTimesTest::define)
          .build();

  private static void define(JobStreamsBuilder builder) {
    KStream<String, String> byNode =
        builder.stream(READINGS)
            .selectKey((customer, node) -> node, Named.as("key-by-node"))
            .repartition(
                Repartitioned.<String, String>as("readings-by-node")
                    .withKeySerde(Codec.string().serde())
                    .withValueSerde(Codec.string().serde()));
    KStream<String, String> joined =
        builder.leftJoin(
            "alarms-with-readings",
            builder.stream(ALARMS),
            byNode,
            JoinWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(10), Duration.ofSeconds(30)),
            (alarm, reading) -> alarm + "+" + reading,
            StreamJoined.with(
                Codec.string().serde(), Codec.string().serde(), Codec.string().serde()));
    builder.to(joined, JOINED);
  }

  @Test
  void shouldFindTheRepartitionTopicThatAJoinReadsBesideASource() {
    RecordTimes times = RecordTimes.of(JobVersion.of("nodes", 3).topology(JOB));

    assertThat(times.coInputsOf("alarms")).containsExactly("nodes-v3-readings-by-node-repartition");
    // The readings' own sub-topology writes the repartition topic; it reads no other input.
    assertThat(times.coInputsOf("readings")).isEmpty();
    assertThat(times.isCoInput("nodes-v3-readings-by-node-repartition")).isTrue();
    assertThat(times.isSource("nodes-v3-readings-by-node-repartition")).isFalse();
  }

  @Test
  void shouldTimeACoInputRecordByItsTimestamp() {
    RecordTimes times =
        RecordTimes.of(List.of(ALARMS), Map.of("alarms", Set.of("nodes-v1-by-node-repartition")));

    assertThat(times.of(record("nodes-v1-by-node-repartition", 1_700_000_000_123L)))
        .isEqualTo(1_700_000_000_123L);
    assertThat(times.of(record("nodes-v1-by-node-repartition", -1))).isEqualTo(RecordTimes.NO_TIME);
    assertThatThrownBy(() -> times.of(record("elsewhere", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Topic 'elsewhere' is neither a source nor a co-input; the sources are [alarms]");
  }

  @Test
  void shouldRefuseCoInputsOfATopicThatIsNotASource() {
    assertThatThrownBy(
            () -> RecordTimes.of(List.of(ALARMS), Map.of("readings", Set.of("x-repartition"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Topic 'readings' has co-inputs but is not a source; the sources are [alarms]");
  }

  private static ConsumerRecord<byte[], byte[]> record(String topic, long timestamp) {
    return new ConsumerRecord<>(
        topic,
        0,
        0,
        timestamp,
        TimestampType.CREATE_TIME,
        0,
        1,
        new byte[0],
        new byte[] {'x'},
        new RecordHeaders(),
        Optional.empty());
  }
}
