package dev.kappa.reprocessing.deadletter;

import dev.kappa.reprocessing.JobVersion;
import java.util.List;
import java.util.Objects;

/**
 * The newest dead letters of a version, newest first, and how many its dead-letter topic holds.
 *
 * @param version the version
 * @param topic its dead-letter topic
 * @param total the number of dead letters the topic holds: exact when {@code totalExact}, which it
 *     is when the letters were read from the start of every partition; otherwise an upper bound
 *     that counts what was not read by offsets (the end offset minus the first offset of each
 *     partition), in which transaction markers and aborted letters take offsets too
 * @param totalExact whether {@code total} was counted letter by letter
 * @param letters at most the limit asked for, by their timestamp in the dead-letter topic, newest
 *     first
 */
public record DeadLetterPage(
    JobVersion version,
    String topic,
    long total,
    boolean totalExact,
    List<ListedDeadLetter> letters) {

  /** Copies the letters. */
  public DeadLetterPage {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(topic, "topic");
    letters = List.copyOf(letters);
  }
}
