package dev.kappa.reprocessing;

/**
 * How a new version starts.
 *
 * @param acceptPartialHistory start even if a source topic no longer holds its first records
 * @param swapWhenCaughtUp make the version active by itself as soon as it has caught up
 */
public record StartOptions(boolean acceptPartialHistory, boolean swapWhenCaughtUp) {

  /** Refuse incomplete sources; swap by hand. */
  public static StartOptions defaults() {
    return new StartOptions(false, false);
  }

  /** A copy that starts even on sources whose history is incomplete. */
  public StartOptions acceptingPartialHistory() {
    return new StartOptions(true, swapWhenCaughtUp);
  }

  /** A copy that swaps to the version as soon as it has caught up. */
  public StartOptions swappingWhenCaughtUp() {
    return new StartOptions(acceptPartialHistory, true);
  }
}
