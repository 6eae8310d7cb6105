package dev.kappa.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.kappa.serde.Codec;
import dev.kappa.topology.testing.JobTestDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.ValueJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stream-stream joins through {@link JobStreamsBuilder}: orders joined with payments of the same
 * key within 10 s of each other, with 30 s grace. Times are offsets in seconds from {@link #START}.
 */
class JoinTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final JoinWindows TEN_SECONDS =
      JoinWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(10), Duration.ofSeconds(30));

  private static final Source<String, String> ORDERS =
      Source.of("orders", Codec.string(), Codec.string());
  private static final Source<String, String> PAYMENTS =
      Source.of("payments", Codec.string(), Codec.string());
  private static final Sink<String, String> PAIRS =
      Sink.of("pairs", Codec.string(), Codec.string());
  private static final ServingTable<String, Long> ORDER_COUNTS =
      ServingTable.windowed("order-counts", Codec.string(), Codec.longs());

  private JobTestDriver driver;
  private TestInputTopic<String, String> orders;
  private TestInputTopic<String, String> payments;
  private TestOutputTopic<String, String> pairs;

  enum Kind {
    INNER,
    LEFT,
    OUTER
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void shouldJoinRecordsExactlyTenSecondsApartInEitherOrder() {
    start(Kind.INNER);

    //  order o1 at 0 --- payment p1 at 10 (edge, joins); payment p0 at -10 (edge, joins)
    orders.pipeInput("k", "o1", START);
    payments.pipeInput("k", "p1", START.plusSeconds(10));
    payments.pipeInput("k", "p0", START.minusSeconds(10));

    assertThat(pairs.readValuesToList()).containsExactly("o1+p1", "o1+p0");
  }

  @Test
  void shouldNotJoinRecordsOneMillisecondOutsideTheWindow() {
    start(Kind.INNER);

    // order at 0; payments at 10.001 and -10.001 are outside [-10, 10]
    orders.pipeInput("k", "o1", START);
    payments.pipeInput("k", "late", START.plusMillis(10_001));
    payments.pipeInput("k", "early", START.minusMillis(10_001));
    payments.pipeInput("other", "p", START);

    assertThat(pairs.readValuesToList()).isEmpty();
  }

  @Test
  void shouldNotJoinARecordThatArrivesAfterTheGracePeriod() {
    start(Kind.INNER);

    // stream time 50.001 > order at 0 + 10 window + 30 grace: a payment at 5 no longer joins it
    orders.pipeInput("k", "o1", START);
    orders.pipeInput("other", "o2", START.plusMillis(50_001));
    payments.pipeInput("k", "p1", START.plusSeconds(5));

    assertThat(pairs.readValuesToList()).isEmpty();
  }

  @Test
  void shouldEmitAnUnmatchedLeftRecordWithNullOnlyAfterItsWindowCloses() {
    start(Kind.LEFT);

    // o1 at 0 has no payment; its window [-10, 10] closes when stream time passes 10 + 30 grace
    orders.pipeInput("k", "o1", START);
    orders.pipeInput("k2", "o2", START.plusSeconds(1));
    payments.pipeInput("k2", "p2", START.plusSeconds(2));
    assertThat(pairs.readValuesToList()).containsExactly("o2+p2");

    orders.pipeInput("k3", "o3", START.plusSeconds(41));

    assertThat(pairs.readKeyValuesToList()).containsExactly(KeyValue.pair("k", "o1+null"));
  }

  @Test
  void shouldEmitALeftRecordAloneAtOnceWhenItArrivesMoreThanTheTimeDifferenceBehind() {
    start(Kind.LEFT);

    // stream time 20.001 s: o1 at 10 s arrives 10.001 s behind it, within the grace, unmatched
    payments.pipeInput("other", "p0", START.plusMillis(20_001));
    orders.pipeInput("k", "o1", START.plusSeconds(10));
    payments.pipeInput("k", "p1", START.plusSeconds(11));

    // Kafka Streams does not hold o1 for the grace: it is reported alone, then with its match.
    assertThat(pairs.readValuesToList()).containsExactly("o1+null", "o1+p1");
  }

  @Test
  void shouldBoundTheJobsLatenessByTheTimeDifferenceOfALeftOrOuterJoin() {
    assertThat(job(Kind.INNER).topology().smallestGrace()).contains(Duration.ofSeconds(30));
    assertThat(job(Kind.LEFT).topology().smallestGrace()).contains(Duration.ofSeconds(10));
    assertThat(job(Kind.OUTER).topology().smallestGrace()).contains(Duration.ofSeconds(10));
  }

  @Test
  void shouldNameTheStepWithTheSmallestGraceAmongWindowsAndJoins() {
    // The join "pairs" bounds lateness by its 10 s time difference (left join); the count of
    // orders per minute by its 3 s grace: the job's bound is the count's.
    JobTopology topology =
        KappaJob.named("checkout")
            .source(ORDERS)
            .source(PAYMENTS)
            .sink(PAIRS)
            .servingTable(ORDER_COUNTS)
            .topology(
                b -> {
                  KStream<String, String> left = b.stream(ORDERS);
                  b.to(
                      b.leftJoin(
                          "pairs",
                          left,
                          b.stream(PAYMENTS),
                          TEN_SECONDS,
                          (order, payment) -> order + "+" + payment,
                          StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String())),
                      PAIRS);
                  b.aggregate(
                      left.groupByKey(Grouped.as("orders-by-key")),
                      TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(3)),
                      EmitStrategy.onWindowUpdate(),
                      ORDER_COUNTS,
                      () -> 0L,
                      (key, order, count) -> count + 1);
                })
            .build()
            .topology();

    assertThat(topology.graces())
        .containsExactly(
            entry("pairs", Duration.ofSeconds(10)), entry("order-counts", Duration.ofSeconds(3)));
    assertThat(topology.smallestGraceStep()).contains("order-counts");
    assertThat(topology.smallestGrace()).contains(Duration.ofSeconds(3));
  }

  @Test
  void shouldEmitUnmatchedRecordsOfBothSidesInAnOuterJoin() {
    start(Kind.OUTER);

    orders.pipeInput("a", "o1", START);
    payments.pipeInput("b", "p1", START.plusSeconds(1));
    orders.pipeInput("c", "o2", START.plusSeconds(60));

    assertThat(pairs.readKeyValuesToList())
        .containsExactly(KeyValue.pair("a", "o1+null"), KeyValue.pair("b", "null+p1"));
  }

  @Test
  void shouldReportTheSourceTopicsOfEachSideOfTheJoin() {
    JobTopology topology = job(Kind.INNER).topology();

    assertThat(topology.joins())
        .containsExactly(new JoinInputs("pairs", Set.of("orders"), Set.of("payments")));
  }

  static KappaJob job(Kind kind) {
    ValueJoiner<String, String, String> joiner = (order, payment) -> order + "+" + payment;
    return KappaJob.named("checkout")
        .source(ORDERS)
        .source(PAYMENTS)
        .sink(PAIRS)
        .topology(
            b -> {
              KStream<String, String> left = b.stream(ORDERS);
              KStream<String, String> right = b.stream(PAYMENTS);
              StreamJoined<String, String, String> serdes =
                  StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String());
              KStream<String, String> joined =
                  switch (kind) {
                    case INNER -> b.join("pairs", left, right, TEN_SECONDS, joiner, serdes);
                    case LEFT -> b.leftJoin("pairs", left, right, TEN_SECONDS, joiner, serdes);
                    case OUTER -> b.outerJoin("pairs", left, right, TEN_SECONDS, joiner, serdes);
                  };
              b.to(joined, PAIRS);
            })
        .build();
  }

  private void start(Kind kind) {
    driver = JobTestDriver.of(job(kind), START);
    orders = driver.input(ORDERS);
    payments = driver.input(PAYMENTS);
    pairs = driver.output(PAIRS);
  }
}
