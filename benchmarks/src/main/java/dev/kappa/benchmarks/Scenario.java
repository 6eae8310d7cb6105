package dev.kappa.benchmarks;

import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.util.Optional;
import java.util.Set;

/**
 * One thing the benchmark measures: a processing of the preloaded workload from its first record to
 * its last. A scenario reads every record of its {@link #inputs()} with the consumer group {@link
 * RunContext#group()} and commits its progress there; the harness measures from the first record
 * read to the moment those commits cover the end of every input (and of every repartition topic of
 * the group), so that the measured time includes writing and committing the outputs.
 *
 * <p>To add a scenario (replay, serving), implement this interface in {@code
 * dev.kappa.benchmarks.scenarios} (its {@code AbstractScenario} holds the id, description, inputs
 * and guarantee), list it in {@code Scenarios.all()}, and give {@code ScenariosIT} a check of its
 * output: the harness test runs every listed scenario on a tiny input and fails for one it cannot
 * check.
 */
public interface Scenario {

  /** A stable identifier, lower-case words joined by {@code -}: the key in results and tables. */
  String id();

  /** What the scenario does, in a few words, for the table. */
  String description();

  /** The workload topics it reads to their end. */
  Set<String> inputs();

  /** Its processing guarantee. */
  ProcessingGuarantee guarantee();

  /**
   * The consumer group whose commits the harness watches, for a run called {@code run} (the {@link
   * RunContext#group()}): the run's name itself, unless the scenario's job names its group
   * otherwise, as a versioned job does ({@code <job>-v<n>}).
   */
  default String consumerGroup(String run) {
    return run;
  }

  /**
   * For a scenario of another engine (Flink), the id of the Kappa scenario that does the same work,
   * which the report divides by it; empty for Kappa's own.
   */
  default Optional<String> sameWorkAs() {
    return Optional.empty();
  }

  /**
   * The class path of the JVM that runs it, when it is not the harness's: the Flink peer's runs
   * need Flink and the Kafka client its connector is built for. Empty for Kappa's own.
   */
  default Optional<String> classPath() {
    return Optional.empty();
  }

  /**
   * Starts processing and returns at once; the harness watches the committed offsets of {@link
   * RunContext#group()} and closes the run when they reach the end of the inputs.
   */
  ScenarioRun start(RunContext context);
}
