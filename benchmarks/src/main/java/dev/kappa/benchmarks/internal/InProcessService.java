package dev.kappa.benchmarks.internal;

import dev.kappa.api.VersionedJob;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;

/**
 * One instance of the Kappa service (the {@code api} module) in this JVM, on a port of its own,
 * hosting the given job: what the serving benchmarks start when no service is running.
 */
public final class InProcessService implements AutoCloseable {

  private final EmbeddedServer server;

  private InProcessService(EmbeddedServer server) {
    this.server = server;
  }

  /**
   * Starts an instance with the service's {@code properties} ({@code kappa.*}, {@code micronaut.*})
   * on a free port, hosting {@code job}.
   */
  public static InProcessService start(Map<String, Object> properties, VersionedJob job) {
    Map<String, Object> withPort = new java.util.HashMap<>(properties);
    withPort.putIfAbsent("micronaut.server.port", freePort());
    // Only this job: the examples on the class path bring the network-usage job too.
    withPort.put("kappa.jobs", job.name());
    return new InProcessService(
        ApplicationContext.builder(withPort)
            .singletons(job)
            .deduceEnvironment(false)
            .run(EmbeddedServer.class));
  }

  /** Its base URL, {@code http://localhost:<port>}. */
  public URI url() {
    return URI.create("http://localhost:" + server.getPort());
  }

  /** Its name, {@code localhost:<port>}, as its answers give it. */
  public String name() {
    return "localhost:" + server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port", e);
    }
  }
}
