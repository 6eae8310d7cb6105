package dev.kappa.reprocessing.query;

import java.util.Collection;
import java.util.TreeSet;

/** A job that this instance does not host was asked for. The service answers it with 404. */
public class UnknownJobException extends UnknownTableException {

  /** The job is unknown, as {@code message} says. */
  public UnknownJobException(String message) {
    super(message);
  }

  /** {@code job} is not one of {@code known}, the jobs hosted here. */
  public static UnknownJobException of(String job, Collection<String> known) {
    return new UnknownJobException(
        "Unknown job '" + job + "'; the jobs here are " + new TreeSet<>(known));
  }
}
