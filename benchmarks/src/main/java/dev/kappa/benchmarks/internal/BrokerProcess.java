package dev.kappa.benchmarks.internal;

import dev.kappa.embedded.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The broker as a process of its own: an {@link EmbeddedKafka} node in a child JVM, so that its CPU
 * time and memory are measured apart from those of the runs. It runs until its standard input
 * closes.
 */
public final class BrokerProcess implements AutoCloseable {

  private static final String READY = "BOOTSTRAP ";

  private final Process process;
  private final String bootstrapServers;

  private BrokerProcess(Process process, String bootstrapServers) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  /** Starts the broker process and waits until it accepts clients. */
  public static BrokerProcess start() {
    return start(List.of());
  }

  /**
   * Starts a broker process that keeps its logs in {@code directory} and listens on {@code port}
   * ({@code controllerPort} for its controller), and waits until it accepts clients. Started again
   * with the same arguments after {@link #kill()}, it is the same broker, restarted.
   */
  public static BrokerProcess startIn(Path directory, int port, int controllerPort) {
    return start(
        List.of(directory.toString(), Integer.toString(port), Integer.toString(controllerPort)));
  }

  private static BrokerProcess start(List<String> args) {
    Process process = JavaProcess.start(List.of("-Xmx2g"), BrokerProcess.class, args);
    try {
      BufferedReader output =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        if (line.startsWith(READY)) {
          return new BrokerProcess(process, line.substring(READY.length()));
        }
      }
    } catch (IOException e) {
      process.destroyForcibly();
      throw new UncheckedIOException("Cannot read from the broker process", e);
    }
    throw new IllegalStateException(
        "The broker process ended without starting a broker (exit " + process.exitValue() + ")");
  }

  /** The {@code bootstrap.servers} of the broker. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The broker's process, for its CPU time. */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** Kills the broker process with SIGKILL, as a crash of its machine's process would. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the broker, which deletes its data unless it was started by {@link #startIn}. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /**
   * Runs a broker until standard input closes: a new one, or with arguments {@code <directory>
   * <port> <controller port>} one that keeps its logs there.
   */
  public static void main(String[] args) throws IOException {
    try (EmbeddedKafka kafka =
        args.length == 3
            ? EmbeddedKafka.startIn(
                Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), Map.of())
            : EmbeddedKafka.start()) {
      System.out.println(READY + kafka.bootstrapServers());
      System.out.flush();
      while (System.in.read() != -1) {
        // the harness holds standard input open as long as it needs the broker
      }
    }
  }
}
