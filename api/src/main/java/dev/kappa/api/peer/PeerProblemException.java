package dev.kappa.api.peer;

import dev.kappa.topology.KappaException;

/**
 * Another instance refused a forwarded query (unknown table, bad key, no such key ...): its answer
 * goes back to the caller as it is.
 */
public class PeerProblemException extends KappaException {

  private final int status;
  private final String body;
  private final String contentType;

  public PeerProblemException(String instance, int status, String body, String contentType) {
    super("Instance " + instance + " answered " + status + ": " + body);
    this.status = status;
    this.body = body;
    this.contentType = contentType;
  }

  /** The HTTP status the instance answered. */
  public int status() {
    return status;
  }

  /** Its body, usually {@code application/problem+json}. */
  public String body() {
    return body;
  }

  /** Its content type. */
  public String contentType() {
    return contentType;
  }
}
