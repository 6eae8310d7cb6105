package dev.kappa.reprocessing.query;

import dev.kappa.reprocessing.JobVersion;
import java.util.Collection;
import java.util.TreeSet;

/**
 * A version of a job was asked for that the registry does not list or that this instance has no
 * code for, or a job has no active version yet. The service answers it with 404.
 */
public class UnknownVersionException extends UnknownTableException {

  /** The version is unknown, as {@code message} says. */
  public UnknownVersionException(String message) {
    super(message);
  }

  /** Version {@code number} of {@code job} is not one of {@code listed}, the registry's. */
  public static UnknownVersionException notListed(
      String job, int number, Collection<Integer> listed) {
    return new UnknownVersionException(
        "Unknown version "
            + number
            + " of job '"
            + job
            + "'; the registry lists "
            + new TreeSet<>(listed));
  }

  /** {@code job} has no active version: none has been started, or none has caught up. */
  public static UnknownVersionException noActive(String job) {
    return new UnknownVersionException(
        "Job '"
            + job
            + "' has no active version yet: start its first version, or ask for a version by"
            + " number");
  }

  /** The registry lists {@code version}, but this instance was not given its code. */
  public static UnknownVersionException noCode(JobVersion version) {
    return new UnknownVersionException(
        "This instance does not have the code of "
            + version
            + ": versions are numbered by the registry; ask for a version this instance runs");
  }
}
