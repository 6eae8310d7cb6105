package dev.kappa.topology.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.serde.Codec;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.Sink;
import dev.kappa.topology.Source;
import dev.kappa.topology.testing.JobTestDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Records that cannot be read or that a validation step rejects go to the dead-letter topic. */
class DeadLetterRoutingTest {

  record Payment(String account, long cents, Instant timestamp) {}

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final Source<String, Payment> PAYMENTS =
      Source.of("payments", Codec.string(), Codec.json(Payment.class))
          .withEventTime(Payment::timestamp);
  private static final Sink<String, Payment> ACCEPTED =
      Sink.of("accepted", Codec.string(), Codec.json(Payment.class));

  private static final KappaJob JOB =
      KappaJob.named("payments")
          .source(PAYMENTS)
          .sink(ACCEPTED)
          .topology(
              b ->
                  b.to(
                      b.validate(
                              "valid-payments",
                              b.stream(PAYMENTS),
                              (account, payment) ->
                                  payment.cents() < 0
                                      ? Optional.of(
                                          "cents must not be negative, was " + payment.cents())
                                      : Optional.empty())
                          .mapValues(payment -> payment, Named.as("accepted-payments")),
                      ACCEPTED))
          .build();

  private JobTestDriver driver;
  private TestInputTopic<byte[], byte[]> raw;

  @BeforeEach
  void start() {
    driver = JobTestDriver.of(JOB, START);
    raw = driver.rawInput(PAYMENTS);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void shouldSendARecordThatIsNotJsonToTheDeadLetterTopicWithItsBytesAndWhereItCameFrom() {
    driver.input(PAYMENTS).pipeInput("acc-1", new Payment("acc-1", 100, START));
    raw.pipeInput(
        new TestRecord<>(
            bytes("acc-2"),
            bytes("{\"account\": oops"),
            new RecordHeaders().add("trace", bytes("t-1")),
            START));

    List<DeadLetter> letters = driver.deadLetters();

    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.key()).isEqualTo(bytes("acc-2"));
    assertThat(letter.valueAsText()).isEqualTo("{\"account\": oops");
    assertThat(letter.sourceTopic()).isEqualTo("payments");
    assertThat(letter.sourcePartition()).isZero();
    assertThat(letter.sourceOffset()).isEqualTo(1);
    // The dead letter itself is timestamped when it was sent; its record's time is in a header.
    assertThat(letter.sourceTimestamp()).isEqualTo(START.toEpochMilli());
    assertThat(letter.exceptionClass()).isEqualTo(SerializationException.class.getName());
    assertThat(letter.message())
        .startsWith("Cannot read a Payment from topic 'payments': Unrecognized token 'oops'");
    assertThat(driver.output(ACCEPTED).readValuesToList())
        .extracting(Payment::account)
        .containsExactly("acc-1");
    assertThat(driver.deadLetterCount()).isEqualTo(1);
  }

  @Test
  void shouldSendARecordThatFailsValidationToTheDeadLetterTopicWithTheReason() {
    raw.pipeInput(
        bytes("acc-3"),
        bytes("{\"account\":\"acc-3\",\"cents\":-5,\"timestamp\":\"2026-11-22T10:00:01Z\"}"));
    raw.pipeInput(bytes("acc-4"), (byte[]) null);

    List<DeadLetter> letters = driver.deadLetters();

    assertThat(letters)
        .extracting(DeadLetter::exceptionClass)
        .containsOnly(InvalidRecordException.class.getName());
    assertThat(letters)
        .extracting(DeadLetter::message)
        .containsExactly(
            "Record rejected by 'valid-payments': cents must not be negative, was -5",
            "Record rejected by 'valid-payments': the record has no value");
    assertThat(letters.get(0).valueAsText()).contains("\"cents\":-5");
    assertThat(letters.get(1).value()).isNull();
    assertThat(driver.output(ACCEPTED).isEmpty()).isTrue();
    assertThat(driver.deadLetterCount()).isEqualTo(2);
  }

  @Test
  void shouldRefuseAValueLargerThanTheSourceAcceptsAndKeepItsStartInTheDeadLetter() {
    byte[] huge = new byte[1024 * 1024];
    Arrays.fill(huge, (byte) 'x');
    raw.pipeInput(bytes("acc-5"), huge);
    // Over the source's limit, under the dead letter's: the dead letter holds all of it.
    byte[] large = new byte[Source.DEFAULT_MAX_VALUE_BYTES + 1];
    Arrays.fill(large, (byte) 'y');
    raw.pipeInput(bytes("acc-6"), large);

    List<DeadLetter> letters = driver.deadLetters();

    assertThat(letters)
        .extracting(DeadLetter::exceptionClass)
        .containsOnly(RefusedRecordException.class.getName());
    assertThat(letters.get(0).message())
        .isEqualTo(
            "Record of 'payments' refused: the value has 1048576 bytes, more than the 262144 this"
                + " source accepts; if such records are valid, raise Source.withMaxValueBytes");
    assertThat(letters.get(0).value()).hasSize(DeadLetter.MAX_VALUE_BYTES);
    assertThat(letters.get(0).valueSize()).isEqualTo(huge.length);
    assertThat(letters.get(1).value()).isEqualTo(large);
    assertThat(letters.get(1).valueSize()).isEqualTo(large.length);
  }

  @Test
  void shouldRefuseEventTimesOutsideTheSourcesBoundsBeforeTheyMoveStreamTime() {
    Instant now = Instant.now();
    Instant future = now.plus(Duration.ofDays(2));
    raw.pipeInput(bytes("acc-7"), payment("acc-7", future));
    raw.pipeInput(bytes("acc-8"), payment("acc-8", Instant.parse("1970-01-21T10:20:00Z")));
    raw.pipeInput(bytes("acc-9"), payment("acc-9", now.plus(Duration.ofHours(23))));

    List<DeadLetter> letters = driver.deadLetters();

    assertThat(letters).extracting(DeadLetter::key).containsExactly(bytes("acc-7"), bytes("acc-8"));
    assertThat(letters.get(0).message())
        .startsWith(
            "Record of 'payments' refused: event time "
                + future
                + " is more than PT24H ahead of this instance's clock (")
        .endsWith("); if such times are valid, widen Source.withEventTimeBounds");
    assertThat(letters.get(1).message())
        .isEqualTo(
            "Record of 'payments' refused: event time 1970-01-21T10:20:00Z is before"
                + " 2000-01-01T00:00:00Z, the earliest this source accepts; if such times are"
                + " valid, widen Source.withEventTimeBounds");
    assertThat(driver.output(ACCEPTED).readValuesToList())
        .extracting(Payment::account)
        .containsExactly("acc-9");
  }

  @Test
  void shouldRefuseAKeyThatIsNotUtf8() {
    raw.pipeInput(new byte[] {'a', (byte) 0xC3, (byte) 0x28}, payment("acc-10", START));
    // U+FFFD itself is text like any other
    raw.pipeInput(bytes("acc-\uFFFD"), payment("acc-\uFFFD", START));

    assertThat(driver.deadLetters())
        .extracting(DeadLetter::message)
        .containsExactly("Cannot read text from topic 'payments': the bytes are not valid UTF-8");
    assertThat(driver.output(ACCEPTED).readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("acc-\uFFFD");
  }

  @Test
  void shouldReadTheHeadersThatKafkaStreamsWrites() {
    assertThat(
            List.of(
                DeadLetter.TOPIC_HEADER,
                DeadLetter.PARTITION_HEADER,
                DeadLetter.OFFSET_HEADER,
                DeadLetter.EXCEPTION_HEADER,
                DeadLetter.MESSAGE_HEADER))
        .containsExactly(
            ExceptionHandlerUtils.HEADER_ERRORS_TOPIC_NAME,
            ExceptionHandlerUtils.HEADER_ERRORS_PARTITION_NAME,
            ExceptionHandlerUtils.HEADER_ERRORS_OFFSET_NAME,
            ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_NAME,
            ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_MESSAGE_NAME);
    assertThatThrownBy(() -> DeadLetter.of(null, null, new RecordHeaders()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not a dead letter: the record has no '__streams.errors.topic' header");
  }

  @Test
  void shouldRefuseToRunWithoutADeadLetterTopicOrCounter() {
    DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();

    assertThatThrownBy(
            () -> handler.configure(Map.of(DeadLetterMetrics.CONFIG, new DeadLetterMetrics())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)
        .hasMessageContaining("bad records would be dropped without a trace");
    assertThatThrownBy(
            () ->
                handler.configure(
                    Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "dlq")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(DeadLetterMetrics.CONFIG);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static byte[] payment(String account, Instant timestamp) {
    return bytes(
        "{\"account\":\"" + account + "\",\"cents\":5,\"timestamp\":\"" + timestamp + "\"}");
  }
}
