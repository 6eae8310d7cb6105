package dev.kappa.reprocessing;

import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.topology.KappaException;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A version did not catch up within the time {@link JobHost#awaitCaughtUp} waited. It still
 * replays: wait again, or swap with force if partial tables are acceptable. The message says how
 * far it got, from its progress on the host that waited if it runs there.
 */
public class CatchUpTimeoutException extends KappaException {

  private final JobVersion version;
  private final @Nullable ReplayProgress progress;

  /**
   * A timeout of the wait for {@code version}, with its last progress on the host that waited; null
   * if it has none there.
   */
  public CatchUpTimeoutException(
      String message, JobVersion version, @Nullable ReplayProgress progress) {
    super(message);
    this.version = Objects.requireNonNull(version, "version");
    this.progress = progress;
  }

  /** The version waited for. */
  public JobVersion version() {
    return version;
  }

  /**
   * Its last measured progress on the host that waited; empty if it does not run there or was not
   * measured yet.
   */
  public Optional<ReplayProgress> progress() {
    return Optional.ofNullable(progress);
  }
}
