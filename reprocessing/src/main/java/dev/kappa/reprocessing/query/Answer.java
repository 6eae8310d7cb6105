package dev.kappa.reprocessing.query;

import dev.kappa.reprocessing.JobVersion;
import java.util.Objects;

/**
 * An answer from a serving table, with the version whose store gave it.
 *
 * @param version the version that answered
 * @param value the answer
 * @param <T> the answer's type
 */
public record Answer<T>(JobVersion version, T value) {

  /** Checks the parts. */
  public Answer {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(value, "value");
  }
}
