package dev.kappa.reprocessing.deadletter;

import java.util.Objects;

/**
 * Where a dead letter is: its dead-letter topic, partition and offset. Its text, {@code
 * <topic>-<partition>@<offset>} ({@code meters-v1-dead-letters-0@2}), is the key of the letter in
 * the re-drive log and the value of the {@link DeadLetters#REDRIVEN_FROM_HEADER} header of the
 * record it was re-driven as.
 *
 * <pre>{@code
 * DeadLetterId id = DeadLetterId.parse("meters-v1-dead-letters-0@2");
 * id.partition();   // 0
 * }</pre>
 *
 * @param topic the dead-letter topic
 * @param partition its partition, 0 or more
 * @param offset the letter's offset in the partition, 0 or more
 */
public record DeadLetterId(String topic, int partition, long offset) {

  /** Checks the parts. */
  public DeadLetterId {
    Objects.requireNonNull(topic, "topic");
    if (topic.isBlank() || topic.indexOf('@') >= 0) {
      throw new IllegalArgumentException(
          "Bad dead-letter topic '" + topic + "': send a Kafka topic name");
    }
    if (partition < 0) {
      throw new IllegalArgumentException(
          "Bad partition " + partition + " of '" + topic + "': partitions are numbered from 0");
    }
    if (offset < 0) {
      throw new IllegalArgumentException(
          "Bad offset " + offset + " in '" + topic + "': offsets are numbered from 0");
    }
  }

  /**
   * Reads the text of {@link #toString()}.
   *
   * @throws IllegalArgumentException if {@code text} is not {@code <topic>-<partition>@<offset>}
   */
  public static DeadLetterId parse(String text) {
    Objects.requireNonNull(text, "text");
    int at = text.lastIndexOf('@');
    int dash = at < 0 ? -1 : text.lastIndexOf('-', at);
    if (dash <= 0) {
      throw notAnId(text);
    }
    try {
      return new DeadLetterId(
          text.substring(0, dash),
          Integer.parseInt(text.substring(dash + 1, at)),
          Long.parseLong(text.substring(at + 1)));
    } catch (NumberFormatException e) {
      throw notAnId(text);
    }
  }

  private static IllegalArgumentException notAnId(String text) {
    return new IllegalArgumentException(
        "Bad dead-letter id '"
            + text
            + "': send <topic>-<partition>@<offset>, such as meters-v1-dead-letters-0@2");
  }

  /** {@code <topic>-<partition>@<offset>}. */
  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
