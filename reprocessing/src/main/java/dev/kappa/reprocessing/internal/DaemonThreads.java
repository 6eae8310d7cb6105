package dev.kappa.reprocessing.internal;

import java.util.concurrent.ThreadFactory;

/** Threads that do not keep the JVM alive, with a name that says whose they are. */
public final class DaemonThreads {

  private DaemonThreads() {}

  /** A factory of daemon threads called {@code name}. */
  public static ThreadFactory named(String name) {
    return runnable -> start(runnable, name, false);
  }

  /** A daemon thread called {@code name} that runs {@code runnable}; started if {@code start}. */
  public static Thread start(Runnable runnable, String name, boolean start) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    if (start) {
      thread.start();
    }
    return thread;
  }
}
