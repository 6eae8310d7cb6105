package dev.kappa.api.query;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The latency of queries as {@code kappa.query} timers, by kind of query, by how it was answered
 * ({@code local}, {@code forwarded} or {@code fan-out}) and by outcome, with p50 and p99.
 */
@Singleton
final class QueryMetrics {

  private final MeterRegistry registry;

  QueryMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  <T> T time(String kind, Function<T, String> routing, Supplier<T> query) {
    long start = System.nanoTime();
    String outcome = "error";
    String how = "unknown";
    try {
      T answer = query.get();
      outcome = "ok";
      how = routing.apply(answer);
      return answer;
    } finally {
      Timer.builder("kappa.query")
          .description("Queries over serving tables, from request to answer")
          .tag("kind", kind)
          .tag("routing", how)
          .tag("outcome", outcome)
          .publishPercentiles(0.5, 0.99)
          .register(registry)
          .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }
}
