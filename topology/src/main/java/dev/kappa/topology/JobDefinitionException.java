package dev.kappa.topology;

/**
 * A job's definition is wrong and must be fixed in code: an operator without an explicit name, a
 * serving table declared but never materialized, a source used but not declared, a name that cannot
 * become a topic name. Thrown when the job's topology is built, before anything runs.
 */
public class JobDefinitionException extends KappaException {

  /** An exception with a message that names the job, the offending part and how to fix it. */
  public JobDefinitionException(String message) {
    super(message);
  }

  /** An exception with a message that names the job, the offending part and how to fix it. */
  public JobDefinitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
