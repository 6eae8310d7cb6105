package dev.kappa.serde;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Strings as UTF-8, refusing bytes that are not valid UTF-8 with a {@link SerializationException}
 * instead of replacing them with U+FFFD as Kafka's string serde does. A key that is not text then
 * goes to the dead-letter topic with the reason, instead of on through the job under a mangled key
 * that no query finds. {@code null} reads and writes as {@code null}.
 *
 * <p>Valid text costs what Kafka's serde costs: the bytes are checked strictly only when the
 * lenient decoding produced a replacement character.
 */
public final class Utf8Serde implements Serde<String>, Serializer<String>, Deserializer<String> {

  static final Utf8Serde INSTANCE = new Utf8Serde();

  private Utf8Serde() {}

  @Override
  public byte @Nullable [] serialize(String topic, @Nullable String data) {
    return data == null ? null : data.getBytes(UTF_8);
  }

  @Override
  public @Nullable String deserialize(String topic, byte @Nullable [] data) {
    if (data == null) {
      return null;
    }
    String text = new String(data, UTF_8);
    if (text.indexOf('\uFFFD') >= 0) {
      try {
        UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(data));
      } catch (CharacterCodingException notText) {
        throw new SerializationException(
            "Cannot read text from topic '" + topic + "': the bytes are not valid UTF-8");
      }
    }
    return text;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}

  @Override
  public Serializer<String> serializer() {
    return this;
  }

  @Override
  public Deserializer<String> deserializer() {
    return this;
  }
}
