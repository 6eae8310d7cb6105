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
import java.time.Duration;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.StreamJoined;

/**
 * Stream-stream join: each reading at an even position with each reading of the same customer at an
 * odd position within 10 s of it (30 s grace, more than the workload's 20 s disorder), as a Kappa
 * job writing every pair to the sink {@link #PAIRS}. Both inputs are keyed by customer with the
 * same partitions, so nothing is repartitioned.
 */
public final class StreamJoin extends AbstractScenario {

  static final Source<String, UsageEvent> EVEN =
      Source.of(Workload.EVEN_READINGS, Codec.string(), Codec.json(UsageEvent.class));
  static final Source<String, UsageEvent> ODD =
      Source.of(Workload.ODD_READINGS, Codec.string(), EVEN.values());

  /** The join window. */
  public static final JoinWindows TEN_SECONDS =
      JoinWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(10), Duration.ofSeconds(30));

  /** The pairs. */
  public static final Sink<String, UsagePair> PAIRS =
      Sink.of("reading-pairs", Codec.string(), Codec.json(UsagePair.class));

  static final KappaJob JOB =
      KappaJob.named("bench-join")
          .source(EVEN)
          .source(ODD)
          .sink(PAIRS)
          .topology(
              builder ->
                  builder.to(
                      builder.join(
                          "even-with-odd",
                          builder.stream(EVEN),
                          builder.stream(ODD),
                          TEN_SECONDS,
                          UsagePair::new,
                          StreamJoined.with(
                              EVEN.keys().serde(), EVEN.values().serde(), ODD.values().serde())),
                      PAIRS))
          .build();

  /** The join under {@code guarantee}. */
  public StreamJoin(ProcessingGuarantee guarantee) {
    this(guarantee, 1);
  }

  /** The join under {@code guarantee} on {@code threads} stream threads. */
  public StreamJoin(ProcessingGuarantee guarantee, int threads) {
    super(
        "stream-join",
        "stream-stream join, 10 s window",
        guarantee,
        threads,
        Workload.EVEN_READINGS,
        Workload.ODD_READINGS);
  }

  @Override
  public ScenarioRun start(RunContext context) {
    return ScenarioRun.ofJob(id(), JOB, guarantee(), threads(), context);
  }
}
