package dev.kappa.benchmarks.chaos;

import dev.kappa.benchmarks.internal.JavaProcess;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One service instance of the chaos harness ({@link ServiceMain}), which the harness kills with
 * SIGKILL and starts again on the same port with the same state directory, as a supervisor restarts
 * a crashed instance.
 */
final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final String bootstrap;
  private final int port;
  private final Path state;
  private final String registryTopic;
  private final Path log;
  private @Nullable Process process;

  ServiceProcess(
      String name, String bootstrap, int port, Path state, String registryTopic, Path log) {
    this.name = name;
    this.bootstrap = bootstrap;
    this.port = port;
    this.state = state;
    this.registryTopic = registryTopic;
    this.log = log;
  }

  String name() {
    return name;
  }

  URI url() {
    return URI.create("http://localhost:" + port);
  }

  Path log() {
    return log;
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  synchronized void start() {
    if (running()) {
      return;
    }
    process =
        JavaProcess.startLogging(
            List.of("-Xmx768m", "-Dlog4j2.configurationFile=chaos-log4j2.xml"),
            ServiceMain.class,
            List.of(bootstrap, Integer.toString(port), state.toString(), registryTopic),
            log);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
  synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Stops it as an operator would: standard input closed, then SIGTERM, then SIGKILL. */
  @Override
  public synchronized void close() {
    if (process == null) {
      return;
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (Exception e) {
      process.destroyForcibly();
    }
    process = null;
  }
}
