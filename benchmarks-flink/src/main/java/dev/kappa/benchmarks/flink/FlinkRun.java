package dev.kappa.benchmarks.flink;

import dev.kappa.benchmarks.ScenarioRun;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;

/**
 * A Flink job of a scenario on its local MiniCluster, bounded: alive until it fails, finished when
 * its sources have read to their ends, its last windows and timers have fired and its final
 * checkpoint has committed its last transactions. Its MiniCluster shuts down when it ends, so its
 * state is read from its result, not asked of the cluster.
 */
final class FlinkRun implements ScenarioRun {

  private final String scenario;
  private final JobClient job;
  private final CompletableFuture<JobExecutionResult> result;

  FlinkRun(String scenario, JobClient job) {
    this.scenario = scenario;
    this.job = job;
    this.result = job.getJobExecutionResult();
  }

  @Override
  public void checkAlive() {
    if (result.isCompletedExceptionally()) {
      Throwable cause;
      try {
        result.get();
        cause = null;
      } catch (ExecutionException e) {
        cause = e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cause = e;
      }
      throw new IllegalStateException(
          "Scenario '" + scenario + "' stopped: its Flink job failed", cause);
    }
  }

  @Override
  public boolean bounded() {
    return true;
  }

  @Override
  public boolean finished() {
    return result.isDone() && !result.isCompletedExceptionally();
  }

  @Override
  public void close() {
    try {
      if (!result.isDone()) {
        job.cancel().get(30, TimeUnit.SECONDS);
      }
      result.handle((done, failure) -> null).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot stop the Flink job of '" + scenario + "'", e);
    }
  }
}
