package dev.kappa.benchmarks.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a JVM, with this JVM's class path unless told another: the broker, one per measured run,
 * and the processes of the chaos harness.
 */
public final class JavaProcess {

  private JavaProcess() {}

  /**
   * Starts {@code main} with {@code jvmArgs} and {@code args}; its standard error goes to ours, its
   * standard output to a pipe for the caller.
   */
  static Process start(List<String> jvmArgs, Class<?> main, List<String> args) {
    return start(jvmArgs, System.getProperty("java.class.path"), main, args);
  }

  /** Like {@link #start(List, Class, List)}, with the class path {@code classPath}. */
  static Process start(List<String> jvmArgs, String classPath, Class<?> main, List<String> args) {
    try {
      return new ProcessBuilder(command(jvmArgs, classPath, main, args))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + main.getSimpleName(), e);
    }
  }

  /**
   * Starts {@code main} with {@code jvmArgs} and {@code args}, its standard output and error
   * appended to {@code log}; its standard input is a pipe that the caller may close.
   */
  public static Process startLogging(
      List<String> jvmArgs, Class<?> main, List<String> args, Path log) {
    try {
      return new ProcessBuilder(command(jvmArgs, System.getProperty("java.class.path"), main, args))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + main.getSimpleName(), e);
    }
  }

  private static List<String> command(
      List<String> jvmArgs, String classPath, Class<?> main, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classPath);
    command.add(main.getName());
    command.addAll(args);
    return command;
  }
}
