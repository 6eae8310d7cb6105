package dev.kappa.reprocessing.deadletter;

import dev.kappa.topology.deadletter.DeadLetter;
import java.time.Instant;
import java.util.Objects;

/**
 * A dead letter as {@link DeadLetters#newest} lists it.
 *
 * @param id where it is in the dead-letter topic
 * @param timestamp when it was sent to the dead-letter topic (its record timestamp there)
 * @param letter the letter: the record's key and value bytes, where it came from, and why
 * @param redriven whether it has been re-driven to its source topic (the re-drive log holds it)
 */
public record ListedDeadLetter(
    DeadLetterId id, Instant timestamp, DeadLetter letter, boolean redriven) {

  /** Checks that nothing is null. */
  public ListedDeadLetter {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(letter, "letter");
  }
}
