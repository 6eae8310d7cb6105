package dev.kappa.benchmarks.scenarios;

import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.ScenarioRun;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.examples.networkusage.UsageEvent;
import dev.kappa.serde.Codec;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.Sink;
import dev.kappa.topology.Source;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import org.apache.kafka.streams.kstream.Named;

/**
 * The filter of {@link PlainStreamsFilter} as a Kappa job: the same logic and serde, with Kappa's
 * explicit names, dead-letter handlers and job defaults. Its output is the sink {@link #KEPT}.
 */
public final class KappaFilter extends AbstractScenario {

  static final Source<String, UsageEvent> READINGS =
      Source.of(Workload.READINGS, Codec.string(), Codec.json(UsageEvent.class));

  /** The readings kept. */
  public static final Sink<String, UsageEvent> KEPT =
      Sink.of(PlainStreamsFilter.OUTPUT, Codec.string(), READINGS.values());

  static final KappaJob JOB =
      KappaJob.named("bench-filter")
          .source(READINGS)
          .sink(KEPT)
          .topology(
              builder ->
                  builder.to(
                      builder.stream(READINGS)
                          .filter(LargeReadings::keep, Named.as("keep-large-readings")),
                      KEPT))
          .build();

  /** The filter job under {@code guarantee}. */
  public KappaFilter(ProcessingGuarantee guarantee) {
    this(guarantee, 1);
  }

  /** The filter job under {@code guarantee} on {@code threads} stream threads. */
  public KappaFilter(ProcessingGuarantee guarantee, int threads) {
    super("kappa-filter", "Kappa filter job", guarantee, threads, Workload.READINGS);
  }

  @Override
  public ScenarioRun start(RunContext context) {
    return ScenarioRun.ofJob(id(), JOB, guarantee(), threads(), context);
  }
}
