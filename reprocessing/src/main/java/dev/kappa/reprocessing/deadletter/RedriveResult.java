package dev.kappa.reprocessing.deadletter;

import java.util.List;
import java.util.Objects;

/**
 * What {@link DeadLetters#redrive} did: the letters it sent, and those it did not send because they
 * had been sent before (by this or another caller), each with where its record went.
 *
 * @param sent the letters sent by this call, in the order asked
 * @param alreadySent the letters the re-drive log already held, in the order asked
 */
public record RedriveResult(List<Redriven> sent, List<Redriven> alreadySent) {

  /** Copies the lists. */
  public RedriveResult {
    sent = List.copyOf(sent);
    alreadySent = List.copyOf(alreadySent);
  }

  /**
   * A re-driven letter and the record it became.
   *
   * @param letter the dead letter
   * @param topic the topic it was sent to: its source topic
   * @param partition the partition of the new record there
   * @param offset the offset of the new record there
   */
  public record Redriven(DeadLetterId letter, String topic, int partition, long offset) {

    /** Checks that nothing is null. */
    public Redriven {
      Objects.requireNonNull(letter, "letter");
      Objects.requireNonNull(topic, "topic");
    }
  }
}
