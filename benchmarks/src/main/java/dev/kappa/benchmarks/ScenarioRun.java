package dev.kappa.benchmarks;

import dev.kappa.topology.KappaJob;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import dev.kappa.topology.runtime.RunningJob;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A started {@link Scenario}: the harness checks that it is alive while it waits, then closes it.
 */
public interface ScenarioRun extends AutoCloseable {

  /**
   * Returns if the run is still working, and throws an {@link IllegalStateException} that says why
   * if it stopped by itself.
   */
  void checkAlive();

  /**
   * Whether the run reads its inputs up to the end offsets they had when it started and then stops
   * by itself, as a bounded Flink job does. The harness stops the clock for such a run when it has
   * {@linkplain #finished() finished} (its last windows fired, every output committed), and for any
   * other when its group's commits cover the inputs.
   */
  default boolean bounded() {
    return false;
  }

  /** For a {@linkplain #bounded() bounded} run, whether it has finished without failing. */
  default boolean finished() {
    return false;
  }

  /** Stops the run and releases its clients; the harness deletes its topics afterwards. */
  @Override
  void close();

  /**
   * A run of a Kafka Streams instance: alive while it runs or rebalances, closed by {@code close}.
   */
  static ScenarioRun of(String scenario, KafkaStreams streams, Runnable close) {
    return new ScenarioRun() {
      @Override
      public void checkAlive() {
        if (!streams.state().isRunningOrRebalancing()) {
          throw new IllegalStateException(
              "Scenario '" + scenario + "' stopped: its Kafka Streams is " + streams.state());
        }
      }

      @Override
      public void close() {
        close.run();
      }
    };
  }

  /**
   * Starts the deployment of {@code job} named by {@code context} under {@code guarantee}, with the
   * job defaults and the harness's settings ({@link RunContext#jobConfig}).
   */
  static ScenarioRun ofJob(
      String scenario, KappaJob job, ProcessingGuarantee guarantee, RunContext context) {
    return ofJob(scenario, job, guarantee, 1, context);
  }

  /** Like {@link #ofJob(String, KappaJob, ProcessingGuarantee, RunContext)}, on {@code threads}. */
  static ScenarioRun ofJob(
      String scenario,
      KappaJob job,
      ProcessingGuarantee guarantee,
      int threads,
      RunContext context) {
    RunningJob running =
        RunningJob.start(job.topology(context.naming()), context.jobConfig(guarantee, threads));
    return of(scenario, running.streams(), running::close);
  }

  /** Closes {@code streams}, waiting up to 30 s for its threads. */
  static Runnable closing(KafkaStreams streams) {
    return () -> streams.close(Duration.ofSeconds(30));
  }
}
