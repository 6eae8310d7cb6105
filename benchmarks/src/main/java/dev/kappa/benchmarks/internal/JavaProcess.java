package dev.kappa.benchmarks.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a JVM with this JVM's class path: the broker, and one per measured run. */
final class JavaProcess {

  private JavaProcess() {}

  /**
   * Starts {@code main} with {@code jvmArgs} and {@code args}; its standard error goes to ours, its
   * standard output to a pipe for the caller.
   */
  static Process start(List<String> jvmArgs, Class<?> main, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    try {
      return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + main.getSimpleName(), e);
    }
  }
}
