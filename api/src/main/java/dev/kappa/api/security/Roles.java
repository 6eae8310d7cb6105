package dev.kappa.api.security;

/** The roles the service grants. */
public final class Roles {

  /** May start, swap, roll back and retire versions and read replay progress. */
  public static final String ADMIN = "KAPPA_ADMIN";

  /** Another instance of the service, with the peer token: may call the internal endpoints. */
  public static final String PEER = "KAPPA_PEER";

  private Roles() {}
}
