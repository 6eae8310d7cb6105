package dev.kappa.reprocessing.replay;

import dev.kappa.topology.KappaException;

/**
 * A source topic no longer holds its whole history: retention or a deletion removed its first
 * records, so a replay would compute results from part of the log. The message names the topic and
 * partitions. Start the version accepting partial history if that is intended.
 */
public class IncompleteHistoryException extends KappaException {

  /** A refusal with the topics and partitions whose history is incomplete. */
  public IncompleteHistoryException(String message) {
    super(message);
  }
}
