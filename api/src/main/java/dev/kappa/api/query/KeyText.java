package dev.kappa.api.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kappa.topology.ServingTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads a key given as text (a path segment or a query parameter) into the key type a serving table
 * declares: strings as they are, numbers, UUIDs and instants from their usual text, and any other
 * type from a JSON document.
 */
final class KeyText {

  private KeyText() {}

  static <K> K parse(ServingTable<K, ?> table, String text) {
    Class<K> type = table.keys().type();
    try {
      @Nullable Function<String, ?> parser = scalarParser(type);
      // A string key is taken as it is, spaces included; numbers and the like are trimmed.
      Object key =
          type == String.class
              ? text
              : parser != null ? parser.apply(text.strip()) : JSON.readValue(text, type);
      if (key == null) {
        throw new BadQueryException(badKey(table, text, "it reads as null"));
      }
      return type.cast(key);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new BadQueryException(badKey(table, text, e.getMessage()));
    } catch (IllegalArgumentException e) {
      throw new BadQueryException(badKey(table, text, e.getMessage()));
    } catch (JsonProcessingException e) {
      throw new BadQueryException(
          badKey(table, text, "it is not a JSON document of that type: " + e.getOriginalMessage()));
    }
  }

  private static @Nullable Function<String, ?> scalarParser(Class<?> type) {
    if (type == String.class) {
      return Function.identity();
    } else if (type == Long.class) {
      return Long::valueOf;
    } else if (type == Integer.class) {
      return Integer::valueOf;
    } else if (type == Short.class) {
      return Short::valueOf;
    } else if (type == Double.class) {
      return Double::valueOf;
    } else if (type == Float.class) {
      return Float::valueOf;
    } else if (type == BigDecimal.class) {
      return BigDecimal::new;
    } else if (type == UUID.class) {
      return UUID::fromString;
    } else if (type == Instant.class) {
      return Instant::parse;
    }
    return null;
  }

  private static String badKey(ServingTable<?, ?> table, String text, @Nullable String why) {
    return "Bad key '"
        + text
        + "' for table '"
        + table.name()
        + "': its keys are "
        + table.keys().type().getSimpleName()
        + ", and "
        + why
        + ". Send "
        + example(table.keys().type());
  }

  private static String example(Class<?> type) {
    if (type == String.class) {
      return "the key as it is";
    }
    if (scalarParser(type) != null) {
      return "a " + type.getSimpleName() + " in its usual text form";
    }
    return "the key as a JSON document (URL-encoded in a path)";
  }

  private static final ObjectMapper JSON = dev.kappa.serde.JsonSerde.defaultMapper();
}
