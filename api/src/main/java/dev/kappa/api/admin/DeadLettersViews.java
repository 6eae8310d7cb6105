package dev.kappa.api.admin;

import dev.kappa.reprocessing.deadletter.DeadLetterPage;
import dev.kappa.reprocessing.deadletter.ListedDeadLetter;
import dev.kappa.reprocessing.deadletter.RedriveResult;
import dev.kappa.topology.deadletter.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The JSON bodies of the dead-letter endpoints. */
final class DeadLettersViews {

  private DeadLettersViews() {}

  /**
   * The newest dead letters of a version, newest first.
   *
   * @param total how many letters the dead-letter topic holds: exact if {@code totalExact}, else an
   *     upper bound (see {@link DeadLetterPage#total()})
   */
  record PageView(
      String job,
      int version,
      String topic,
      long total,
      boolean totalExact,
      List<LetterView> letters) {

    static PageView of(DeadLetterPage page) {
      return new PageView(
          page.version().job(),
          page.version().number(),
          page.topic(),
          page.total(),
          page.totalExact(),
          page.letters().stream().map(LetterView::of).toList());
    }
  }

  /**
   * One dead letter: where it is, where its record came from, why it failed, and its key and value
   * as text when they are UTF-8, else in base64.
   *
   * @param timestamp when it was sent to the dead-letter topic
   * @param sourceTimestamp its record's timestamp in the source topic, if the letter says
   * @param valueSize the size of the record's value in bytes, more than the value when the letter
   *     holds only its start; -1 without a value
   * @param redriven whether it has been sent back to its source topic
   */
  record LetterView(
      int partition,
      long offset,
      Instant timestamp,
      String sourceTopic,
      int sourcePartition,
      long sourceOffset,
      @Nullable Instant sourceTimestamp,
      String exceptionClass,
      @Nullable String reason,
      @Nullable String key,
      @Nullable String value,
      @Nullable String keyBase64,
      @Nullable String valueBase64,
      int valueSize,
      boolean redriven) {

    static LetterView of(ListedDeadLetter listed) {
      DeadLetter letter = listed.letter();
      String key = text(letter.key());
      String value = text(letter.value());
      return new LetterView(
          listed.id().partition(),
          listed.id().offset(),
          listed.timestamp(),
          letter.sourceTopic(),
          letter.sourcePartition(),
          letter.sourceOffset(),
          letter.sourceTimestamp() < 0 ? null : Instant.ofEpochMilli(letter.sourceTimestamp()),
          letter.exceptionClass(),
          letter.message(),
          key,
          value,
          key == null ? base64(letter.key()) : null,
          value == null ? base64(letter.value()) : null,
          letter.valueSize(),
          listed.redriven());
    }

    /** The bytes as UTF-8 text; null if there are none or they are not valid UTF-8. */
    private static @Nullable String text(byte @Nullable [] bytes) {
      if (bytes == null) {
        return null;
      }
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
      } catch (CharacterCodingException e) {
        return null;
      }
    }

    private static @Nullable String base64(byte @Nullable [] bytes) {
      return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }
  }

  /** The body of a re-drive: the version and its letters. */
  record RedriveBody(@Nullable Integer version, @Nullable List<LetterChoice> letters) {}

  /**
   * A letter to re-drive, by its partition and offset in the dead-letter topic.
   *
   * @param value the value to send instead of the letter's, as text; null to send it as it is
   */
  record LetterChoice(@Nullable Integer partition, @Nullable Long offset, @Nullable String value) {}

  /** What a re-drive sent, and what had been sent before. */
  record RedriveView(
      String job, int version, List<RedrivenView> sent, List<RedrivenView> alreadySent) {

    static RedriveView of(String job, int version, RedriveResult result) {
      return new RedriveView(
          job,
          version,
          result.sent().stream().map(RedrivenView::of).toList(),
          result.alreadySent().stream().map(RedrivenView::of).toList());
    }
  }

  /**
   * A re-driven letter, by its partition and offset in the dead-letter topic, and where its record
   * went: {@code topic}, {@code newPartition}, {@code newOffset}.
   */
  record RedrivenView(int partition, long offset, String topic, int newPartition, long newOffset) {

    static RedrivenView of(RedriveResult.Redriven redriven) {
      return new RedrivenView(
          redriven.letter().partition(),
          redriven.letter().offset(),
          redriven.topic(),
          redriven.partition(),
          redriven.offset());
    }
  }
}
