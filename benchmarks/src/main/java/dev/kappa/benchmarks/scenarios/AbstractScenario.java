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

  /**
   * A scenario with id {@code <name>-eos} or {@code <name>-alos} that reads {@code inputs}; its
   * description is {@code what} and the guarantee.
   */
  AbstractScenario(String name, String what, ProcessingGuarantee guarantee, String... inputs) {
    this(
        name + (guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2 ? "-eos" : "-alos"),
        what
            + (guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2
                ? ", exactly-once"
                : ", at-least-once"),
        Set.of(inputs),
        guarantee);
  }

  /** A scenario run under one guarantee only, whose id is {@code id}. */
  AbstractScenario(
      String id, String description, Set<String> inputs, ProcessingGuarantee guarantee) {
    this.id = id;
    this.description = description;
    this.inputs = Set.copyOf(inputs);
    this.guarantee = guarantee;
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

  @Override
  public String toString() {
    return id;
  }
}
