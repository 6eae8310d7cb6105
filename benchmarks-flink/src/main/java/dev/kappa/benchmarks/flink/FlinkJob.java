package dev.kappa.benchmarks.flink;

import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.ScenarioRun;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A job of the Flink peer, written on Flink's DataStream API: exactly-once, on a local MiniCluster
 * in the run's JVM with the RocksDB state backend, checkpointing every commit interval (see {@link
 * FlinkKafka#configuration}).
 */
abstract class FlinkJob implements FlinkPeer.Job {

  /** The outputs it writes, by name: the run creates their topics before it starts. */
  abstract List<String> outputs();

  /** Adds the job's sources, operators and sinks to {@code env}. */
  abstract void define(StreamExecutionEnvironment env, FlinkKafka kafka);

  @Override
  public final ScenarioRun start(RunContext context, int parallelism, String scenario) {
    FlinkKafka kafka = new FlinkKafka(context);
    kafka.createOutputs(outputs());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            parallelism, Configuration.fromMap(FlinkKafka.configuration(context)));
    define(env, kafka);
    try {
      return new FlinkRun(scenario, env.executeAsync(context.group()));
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start the Flink job of '" + scenario + "'", e);
    }
  }
}
