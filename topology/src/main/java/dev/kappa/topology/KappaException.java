package dev.kappa.topology;

/**
 * The root of Kappa's exceptions. Unchecked: most failures are configuration or definition errors
 * to fix in code, and the subtypes mark the cases a caller handles differently.
 */
public class KappaException extends RuntimeException {

  /** An exception with a message that says what failed, why, and what to do. */
  public KappaException(String message) {
    super(message);
  }

  /** An exception with a message that says what failed, why, and what to do, and its cause. */
  public KappaException(String message, Throwable cause) {
    super(message, cause);
  }
}
