package dev.kappa.benchmarks.scenarios;

import dev.kappa.benchmarks.Scenario;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.util.Set;

/** What every scenario declares: its id, description, inputs and guarantee. */
abstract class AbstractScenario implements Scenario {

  private final String id;
  private final String description;
  private final Set<String> inputs;
  private final ProcessingGuarantee guarantee;
  private final int threads;

  /**
   * A scenario with id {@code <name>-eos} or {@code <name>-alos} that reads {@code inputs}; its
   * description is {@code what} and the guarantee.
   */
  AbstractScenario(String name, String what, ProcessingGuarantee guarantee, String... inputs) {
    this(name, what, guarantee, 1, inputs);
  }

  /**
   * Like {@link #AbstractScenario(String, String, ProcessingGuarantee, String...)}, on {@code
   * threads} stream threads: more than one adds {@code -threads-<n>} to the id.
   */
  AbstractScenario(
      String name, String what, ProcessingGuarantee guarantee, int threads, String... inputs) {
    this(
        name + (guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2 ? "-eos" : "-alos"),
        what
            + (guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2
                ? ", exactly-once"
                : ", at-least-once"),
        Set.of(inputs),
        guarantee,
        threads);
  }

  /** A scenario run under one guarantee only, whose id is {@code id}. */
  AbstractScenario(
      String id, String description, Set<String> inputs, ProcessingGuarantee guarantee) {
    this(id, description, inputs, guarantee, 1);
  }

  /**
   * A scenario run under one guarantee only on {@code threads} stream threads, whose id is {@code
   * id} followed by {@code -threads-<n>} when there are more than one.
   */
  AbstractScenario(
      String id,
      String description,
      Set<String> inputs,
      ProcessingGuarantee guarantee,
      int threads) {
    this.id = id + (threads > 1 ? "-threads-" + threads : "");
    this.description = description + (threads > 1 ? ", " + threads + " stream threads" : "");
    this.inputs = Set.copyOf(inputs);
    this.guarantee = guarantee;
    this.threads = threads;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final Set<String> inputs() {
    return inputs;
  }

  @Override
  public final ProcessingGuarantee guarantee() {
    return guarantee;
  }

  /** The stream threads of its Kafka Streams instance. */
  final int threads() {
    return threads;
  }

  @Override
  public String toString() {
    return id;
  }
}
