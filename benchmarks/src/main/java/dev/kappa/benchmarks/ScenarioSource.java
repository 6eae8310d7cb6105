package dev.kappa.benchmarks;

import java.util.List;

/**
 * Scenarios from outside this module, found with {@link java.util.ServiceLoader} when they are on
 * the class path: the Flink peer's module lists its scenarios this way, so that Flink stays out of
 * this module's dependencies. {@code Scenarios.all()} appends them after the built-in ones.
 */
public interface ScenarioSource {

  /** The scenarios, in the order of the report. */
  List<Scenario> scenarios();
}
