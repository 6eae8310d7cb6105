package dev.kappa.benchmarks;

import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.util.Set;

/**
 * One thing the benchmark measures: a processing of the preloaded workload from its first record to
 * its last. A scenario reads every record of its {@link #inputs()} with the consumer group {@link
 * RunContext#group()} and commits its progress there; the harness measures from the first record
 * read to the moment those commits cover the end of every input (and of every repartition topic of
 * the group), so that the measured time includes writing and committing the outputs.
 *
 * <p>To add a scenario, implement this interface in {@code dev.kappa.benchmarks.scenarios} and list
 * it in {@code Scenarios.all()}; the harness test then runs it on a tiny input.
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
   * Starts processing and returns at once; the harness watches the committed offsets of {@link
   * RunContext#group()} and closes the run when they reach the end of the inputs.
   */
  ScenarioRun start(RunContext context);
}
