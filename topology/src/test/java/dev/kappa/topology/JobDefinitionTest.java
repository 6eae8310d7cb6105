package dev.kappa.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.serde.Codec;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.junit.jupiter.api.Test;

/** A job's definition is checked when its topology is built, with messages that say what to fix. */
class JobDefinitionTest {

  private static final Source<String, Long> AMOUNTS =
      Source.of("amounts", Codec.string(), Codec.longs());
  private static final Source<String, Long> REFUNDS =
      Source.of("refunds", Codec.string(), Codec.longs());
  private static final Sink<String, Long> OUT = Sink.of("out", Codec.string(), Codec.longs());
  private static final ServingTable<String, Long> TOTALS =
      ServingTable.windowed("totals", Codec.string(), Codec.longs());
  private static final TimeWindows MINUTES =
      TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(30));

  @Test
  void shouldRejectAProcessorWithAGeneratedNameAndSayHowToNameIt() {
    KappaJob job =
        KappaJob.named("filters")
            .source(AMOUNTS)
            .sink(OUT)
            .topology(b -> b.to(b.stream(AMOUNTS).filter((key, amount) -> amount > 0), OUT))
            .build();

    assertThatThrownBy(job::topology)
        .isInstanceOf(JobDefinitionException.class)
        .hasMessageStartingWith(
            "Job 'filters' has operators without explicit names: 'KSTREAM-FILTER-0000000001' (a processor"
                + " in sub-topology 0, after 'amounts-source')")
        .hasMessageContaining("Named.as(..) for processors");
  }

  @Test
  void shouldRejectAStoreWithAGeneratedNameThroughKafkasOwnCheck() {
    KappaJob job =
        KappaJob.named("counts")
            .source(AMOUNTS)
            .topology(
                b -> b.stream(AMOUNTS).groupByKey(Grouped.as("by-key")).count(Named.as("count")))
            .build();

    assertThatThrownBy(job::topology)
        .isInstanceOf(JobDefinitionException.class)
        .hasMessageStartingWith(
            "Job 'counts' has stores or internal topics without explicit names.")
        .hasMessageContaining("KSTREAM-AGGREGATE-STATE-STORE-0000000001")
        .hasMessageContaining("Materialized.as(..) for stores");
  }

  @Test
  void shouldRejectARepartitionTopicWithAGeneratedName() {
    KappaJob job =
        KappaJob.named("rekeyed")
            .source(AMOUNTS)
            .topology(
                b ->
                    b.stream(AMOUNTS)
                        .selectKey((key, amount) -> "all", Named.as("to-one-key"))
                        .repartition())
            .build();

    assertThatThrownBy(job::topology)
        .isInstanceOf(JobDefinitionException.class)
        .hasMessageContaining("repartition topic(s) has not been named")
        .hasMessageContaining("Grouped.as(..) or Repartitioned.as(..) for repartition topics");
  }

  @Test
  void shouldAcceptATopologyWhoseEveryPartIsNamed() {
    KappaJob job =
        KappaJob.named("rekeyed")
            .source(AMOUNTS)
            .topology(
                b ->
                    b.stream(AMOUNTS)
                        .selectKey((key, amount) -> "all", Named.as("to-one-key"))
                        .groupByKey(Grouped.as("by-one-key"))
                        .count(Named.as("count"), Materialized.as("counts")))
            .build();

    assertThat(job.topology().topology().describe().toString())
        .contains("to-one-key", "by-one-key-repartition", "counts")
        .doesNotContainPattern("-\\d{10}");
  }

  @Test
  void shouldRejectASourceThatTheJobDoesNotDeclare() {
    KappaJob job = KappaJob.named("sums").source(AMOUNTS).topology(b -> b.stream(REFUNDS)).build();

    assertThatThrownBy(job::topology)
        .isInstanceOf(JobDefinitionException.class)
        .hasMessage(
            "Job 'sums' reads source topic 'refunds' but does not declare it: add .source(..) for it to the"
                + " job definition");
  }

  @Test
  void shouldRejectASourceUsedWithOtherCodecsThanDeclared() {
    Source<String, String> asText = Source.of("amounts", Codec.string(), Codec.string());
    KappaJob job = KappaJob.named("sums").source(AMOUNTS).topology(b -> b.stream(asText)).build();

    assertThatThrownBy(job::topology)
        .isInstanceOf(JobDefinitionException.class)
        .hasMessage(
            "Job 'sums' reads source topic 'amounts' but declares it differently (other codecs or"
                + " event time): use the instance the job definition declares");
  }

  @Test
  void shouldRejectDeclaredPartsThatAreNeverUsed() {
    KappaJob job =
        KappaJob.named("sums")
            .source(AMOUNTS)
            .source(REFUNDS)
            .sink(OUT)
            .servingTable(TOTALS)
            .topology(b -> b.stream(AMOUNTS))
            .build();

    assertThatThrownBy(job::topology)
        .isInstanceOf(JobDefinitionException.class)
        .hasMessage(
            "Job 'sums' does not use what it declares: source topic 'refunds' is declared but never read;"
                + " sink 'out' is declared but never written; serving table 'totals' is declared but never"
                + " materialized (materialize it with one of the aggregate(..) helpers, or"
                + " addServingStore(..) for a processor of your own). Use each declared part or remove"
                + " its declaration.");
  }

  @Test
  void shouldRejectATableMaterializedWithAnotherShapeThanDeclared() {
    ServingTable<String, Long> keyValue =
        ServingTable.keyValue("totals", Codec.string(), Codec.longs());
    KappaJob job =
        KappaJob.named("sums")
            .source(AMOUNTS)
            .servingTable(keyValue)
            .topology(
                b ->
                    b.aggregate(
                        b.stream(AMOUNTS).groupByKey(Grouped.as("by-key")),
                        MINUTES,
                        EmitStrategy.onWindowUpdate(),
                        keyValue,
                        () -> 0L,
                        (key, amount, total) -> total + amount))
            .build();

    assertThatThrownBy(job::topology)
        .isInstanceOf(JobDefinitionException.class)
        .hasMessage(
            "Serving table 'totals' of job 'sums' is declared KEY_VALUE but materialized by an aggregation"
                + " that makes it WINDOWED: declare it with ServingTable.windowed(..)");
  }

  @Test
  void shouldRejectTwoJoinsWithTheSameName() {
    StreamJoined<String, Long, Long> serdes =
        StreamJoined.with(Serdes.String(), Serdes.Long(), Serdes.Long());
    JoinWindows window = JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofSeconds(1));
    KappaJob job =
        KappaJob.named("joins")
            .source(AMOUNTS)
            .source(REFUNDS)
            .topology(
                b -> {
                  KStream<String, Long> amounts = b.stream(AMOUNTS);
                  KStream<String, Long> refunds = b.stream(REFUNDS);
                  b.join("net", amounts, refunds, window, Long::sum, serdes);
                  b.join("net", amounts, refunds, window, Long::sum, serdes);
                })
            .build();

    assertThatThrownBy(job::topology)
        .isInstanceOf(JobDefinitionException.class)
        .hasMessage("Job 'joins' has two joins named 'net': give each join its own name");
  }

  @Test
  void shouldGiveEachWindowStoreChangelogWithTheRetentionOfItsStore() {
    ServingTable<String, Long> minutes =
        ServingTable.windowed("minutes", Codec.string(), Codec.longs())
            .withRetention(Duration.ofDays(3));
    ServingTable<String, Long> hours =
        ServingTable.windowed("hours", Codec.string(), Codec.longs())
            .withRetention(Duration.ofDays(30));
    ServingTable<String, Long> sessions =
        ServingTable.session("sessions", Codec.string(), Codec.longs())
            .withRetention(Duration.ofDays(2));
    StreamJoined<String, Long, Long> serdes =
        StreamJoined.with(Serdes.String(), Serdes.Long(), Serdes.Long());
    KappaJob job =
        KappaJob.named("sums")
            .source(AMOUNTS)
            .source(REFUNDS)
            .servingTable(TOTALS.withRetention(Duration.ofDays(7)))
            .servingTable(minutes)
            .servingTable(hours)
            .servingTable(sessions)
            .sink(OUT)
            .topology(
                b -> {
                  KStream<String, Long> amounts = b.stream(AMOUNTS);
                  b.aggregate(
                      amounts.groupByKey(Grouped.as("amounts-by-key")),
                      MINUTES,
                      EmitStrategy.onWindowUpdate(),
                      TOTALS.withRetention(Duration.ofDays(7)),
                      () -> 0L,
                      (key, amount, total) -> total + amount);
                  b.aggregate(
                      amounts.groupByKey(Grouped.as("amounts-for-sessions")),
                      SessionWindows.ofInactivityGapAndGrace(
                          Duration.ofMinutes(5), Duration.ofMinutes(1)),
                      EmitStrategy.onWindowUpdate(),
                      sessions,
                      () -> 0L,
                      (key, amount, total) -> total + amount,
                      (key, one, other) -> one + other);
                  WindowedTable<String, Long> finer =
                      b.aggregateByKey(
                          amounts, MINUTES, minutes, () -> 0L, (k, a, t) -> t + a, Long::sum);
                  b.rollUp(finer, TimeGrid.of(Duration.ofHours(1)), hours);
                  b.to(
                      b.join(
                          "net",
                          amounts,
                          b.stream(REFUNDS),
                          JoinWindows.ofTimeDifferenceAndGrace(
                              Duration.ofSeconds(10), Duration.ofSeconds(5)),
                          Long::sum,
                          serdes),
                      OUT);
                })
            .build();

    Map<String, Duration> changelogs = job.topology().windowedChangelogs();

    // As Kafka Streams creates them: the store's retention (+ the additional retention, a config).
    assertThat(changelogs)
        .containsEntry("sums-totals-changelog", Duration.ofDays(7))
        .containsEntry("sums-minutes-changelog", Duration.ofDays(3))
        .containsEntry("sums-hours-changelog", Duration.ofDays(30))
        .containsEntry("sums-sessions-changelog", Duration.ofDays(2))
        // A join keeps each side for the time difference on both sides + grace.
        .containsEntry("sums-net-this-join-store-changelog", Duration.ofSeconds(25))
        .containsEntry("sums-net-other-join-store-changelog", Duration.ofSeconds(25))
        .hasSize(6);
  }

  @Test
  void shouldRejectBadNamesWithTheRuleTheyBreak() {
    assertThatThrownBy(() -> KappaJob.named("Network Usage"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Invalid job name 'Network Usage': use 1 to 100 lower-case letters");
    assertThatThrownBy(() -> Source.of("usage events", Codec.string(), Codec.longs()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid source topic 'usage events': use 1 to 200 letters");
    assertThatThrownBy(() -> KappaJob.named("sums").source(AMOUNTS).source(AMOUNTS))
        .isInstanceOf(JobDefinitionException.class)
        .hasMessage("Job 'sums' declares the source topic 'amounts' twice: declare it once");
    assertThatThrownBy(() -> KappaJob.named("sums").topology(b -> {}).build())
        .isInstanceOf(JobDefinitionException.class)
        .hasMessage("Job 'sums' has no sources: declare each topic it reads with source(..)");
  }

  @Test
  void shouldRefuseCoPartitioningViolationsNamingTheJoinAndBothTopics() {
    JobTopology topology = JoinTest.job(JoinTest.Kind.INNER).topology();

    assertThatThrownBy(() -> topology.checkCoPartitioning(Map.of("orders", 3, "payments", 2)))
        .isInstanceOf(KappaException.class)
        .hasMessageStartingWith(
            "Cannot start job 'checkout': join 'pairs' reads 'orders' (3 partitions) and 'payments'"
                + " (2 partitions), which are not co-partitioned")
        .hasMessageEndingWith(
            "Give both topics the same number of partitions, or repartition one side with"
                + " KStream#repartition(Repartitioned.numberOfPartitions(..)).");
    topology.checkCoPartitioning(Map.of("orders", 3, "payments", 3));
  }

  @Test
  void shouldLeaveOutRepartitionTopicsWhenFindingTheInputsOfAJoin() {
    StreamJoined<String, Long, Long> serdes =
        StreamJoined.with(Serdes.String(), Serdes.Long(), Serdes.Long());
    KappaJob job =
        KappaJob.named("joins")
            .source(AMOUNTS)
            .source(REFUNDS)
            .topology(
                b -> {
                  KStream<String, Long> rekeyed =
                      b.stream(AMOUNTS)
                          .selectKey((key, amount) -> key.toUpperCase(), Named.as("upper-case-key"))
                          .repartition(
                              org.apache.kafka.streams.kstream.Repartitioned.<String, Long>as(
                                      "amounts-by-upper-key")
                                  .withKeySerde(Serdes.String())
                                  .withValueSerde(Serdes.Long()));
                  b.join(
                      "net",
                      rekeyed,
                      b.stream(REFUNDS),
                      JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofSeconds(1)),
                      Long::sum,
                      serdes);
                })
            .build();

    assertThat(job.topology().joins())
        .containsExactly(new JoinInputs("net", Set.of(), Set.of("refunds")));
  }
}
