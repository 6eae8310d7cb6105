package dev.kappa.serde;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSerdeTest {

  record Reading(
      String customerId, long bytes, Instant timestamp, Optional<String> note, Duration window) {}

  private final JsonSerde<Reading> serde = JsonSerde.of(Reading.class);

  @Test
  void shouldWriteRecordsWithIsoInstantsAndReadThemBack() {
    Reading reading =
        new Reading(
            "c-1",
            5120,
            Instant.parse("2026-11-22T10:00:00.123Z"),
            Optional.of("x"),
            Duration.ofMinutes(1));

    byte[] json = serde.serialize("t", reading);

    assertThat(new String(json, UTF_8))
        .isEqualTo(
            "{\"customerId\":\"c-1\",\"bytes\":5120,\"timestamp\":\"2026-11-22T10:00:00.123Z\","
                + "\"note\":\"x\",\"window\":\"PT1M\"}");
    assertThat(serde.deserialize("t", json)).isEqualTo(reading);
  }

  record Stamp(Instant at) {}

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-22T10:00:00Z",
        "2026-11-22T10:00:00.1Z",
        "2026-11-22T10:00:00.120Z",
        "2026-11-22T10:00:00.123456Z",
        "2026-11-22T10:00:00.123456789Z",
        "2024-02-29T23:59:59.999Z",
        "1970-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z",
        "2026-11-22T11:00:00+01:00",
        "2026-11-22T10:00:00.5z"
      })
  void shouldReadAnInstantAsJavaTimeReadsIt(String text) {
    JsonSerde<Stamp> stamps = JsonSerde.of(Stamp.class);

    Stamp stamp = stamps.deserialize("t", ("{\"at\":\"" + text + "\"}").getBytes(UTF_8));

    assertThat(stamp.at())
        .isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from));
  }

  @Test
  void shouldNameTheFieldOfAnImpossibleInstant() {
    byte[] json = "{\"at\":\"2026-02-30T10:00:00Z\"}".getBytes(UTF_8);

    assertThatThrownBy(() -> JsonSerde.of(Stamp.class).deserialize("usage-events", json))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("Cannot read a Stamp from topic 'usage-events': field 'at': ")
        .hasMessageContaining("2026-02-30T10:00:00Z");
  }

  @Test
  void shouldIgnoreUnknownPropertiesSoThatProducersCanAddFields() {
    byte[] json =
        "{\"customerId\":\"c-1\",\"bytes\":1,\"timestamp\":\"2026-11-22T10:00:00Z\",\"extra\":true}"
            .getBytes(UTF_8);

    assertThat(serde.deserialize("t", json).customerId()).isEqualTo("c-1");
  }

  @Test
  void shouldReadAndWriteNullAsNull() {
    assertThat(serde.serialize("t", null)).isNull();
    assertThat(serde.deserialize("t", null)).isNull();
  }

  @Test
  void shouldNameTypeTopicAndPositionWhenTheBytesAreNotJson() {
    assertThatThrownBy(() -> serde.deserialize("usage-events", "{not json".getBytes(UTF_8)))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith(
            "Cannot read a Reading from topic 'usage-events': Unexpected character ('n'")
        .hasMessageContaining("at line 1, column 2");
  }

  @Test
  void shouldRefuseAMissingPrimitiveInsteadOfReadingZero() {
    byte[] json = "{\"customerId\":\"c-1\",\"bytes\":null}".getBytes(UTF_8);

    assertThatThrownBy(() -> serde.deserialize("usage-events", json))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith(
            "Cannot read a Reading from topic 'usage-events': field 'bytes': Cannot map `null` into type `long`");
  }

  @Test
  void shouldRefuseAWrongTypeForAField() {
    byte[] json = "{\"customerId\":\"c-1\",\"bytes\":\"many\"}".getBytes(UTF_8);

    assertThatThrownBy(() -> serde.deserialize("usage-events", json))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("Cannot read a Reading from topic 'usage-events': field 'bytes': ")
        .hasMessageContaining("\"many\"");
  }

  @Test
  void shouldCarryItsTypeInACodec() {
    Codec<Reading> codec = Codec.json(Reading.class);

    assertThat(codec.type()).isEqualTo(Reading.class);
    assertThat(codec.serde()).isInstanceOf(JsonSerde.class);
    assertThat(Codec.string().type()).isEqualTo(String.class);
    assertThat(
            Codec.longs()
                .serde()
                .deserializer()
                .deserialize("t", Codec.longs().serde().serializer().serialize("t", 42L)))
        .isEqualTo(42L);
  }
}
