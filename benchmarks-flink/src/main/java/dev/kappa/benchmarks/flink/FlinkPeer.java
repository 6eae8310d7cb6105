package dev.kappa.benchmarks.flink;

import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.Scenario;
import dev.kappa.benchmarks.ScenarioRun;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * A scenario of the Flink peer: the same work as a Kappa scenario ({@link #sameWorkAs()}), at a
 * parallelism matching that scenario's stream threads. Its id is {@code flink-<name>}, then {@code
 * -parallelism-<n>} above 1.
 *
 * <p>It names its job by class and refers to no Flink type, so that the harness, whose class path
 * holds this module's classes but not Flink, lists it; each run starts in a JVM of its own from
 * this module's class path ({@link #classPath()}), which holds Flink and the Kafka client its
 * connector is built for.
 */
final class FlinkPeer implements Scenario {

  /** A Flink job that does a scenario's work; its class has a constructor without arguments. */
  interface Job {
    /** Starts the job for the run {@code context} at {@code parallelism}, and returns at once. */
    ScenarioRun start(RunContext context, int parallelism, String scenario);
  }

  private final String id;
  private final String description;
  private final Set<String> inputs;
  private final int parallelism;
  private final String sameWorkAs;
  private final String job;

  /**
   * The scenario called {@code flink-<name>} that runs the {@link Job} of class {@code job} at
   * {@code parallelism}, doing the work of the Kappa scenario {@code kappaScenario} (on as many
   * threads: {@code -threads-<n>} is added above 1).
   */
  FlinkPeer(
      String name,
      String what,
      int parallelism,
      String kappaScenario,
      String job,
      String... inputs) {
    this.id = "flink-" + name + (parallelism > 1 ? "-parallelism-" + parallelism : "");
    this.description =
        what + " on Flink, exactly-once" + (parallelism > 1 ? ", parallelism " + parallelism : "");
    this.inputs = Set.of(inputs);
    this.parallelism = parallelism;
    this.sameWorkAs = kappaScenario + (parallelism > 1 ? "-threads-" + parallelism : "");
    this.job = job;
  }

  @Override
  public ScenarioRun start(RunContext context) {
    try {
      Job instance = (Job) Class.forName(job).getDeclaredConstructor().newInstance();
      return instance.start(context, parallelism, id);
    } catch (ReflectiveOperationException | NoClassDefFoundError e) {
      throw new IllegalStateException(
          "Cannot create the Flink job " + job + " of '" + id + "': is Flink on the class path?",
          e);
    }
  }

  /**
   * This module's classes and the dependencies listed in {@code target/bench-classpath.txt} beside
   * them (written by the build).
   */
  @Override
  public Optional<String> classPath() {
    try {
      Path classes =
          Path.of(FlinkPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dependencies = classes.getParent().resolve("bench-classpath.txt");
      return Optional.of(
          classes
              + File.pathSeparator
              + Files.readString(dependencies, StandardCharsets.UTF_8).trim());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot find the classes of the Flink peer", e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the Flink peer's class path: build it with `./bench` or Maven first", e);
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public Set<String> inputs() {
    return inputs;
  }

  @Override
  public ProcessingGuarantee guarantee() {
    return ProcessingGuarantee.EXACTLY_ONCE_V2;
  }

  @Override
  public Optional<String> sameWorkAs() {
    return Optional.of(sameWorkAs);
  }

  /** The name of the job's class. */
  String job() {
    return job;
  }

  @Override
  public String toString() {
    return id;
  }
}
