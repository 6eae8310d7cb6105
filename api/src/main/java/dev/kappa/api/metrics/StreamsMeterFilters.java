package dev.kappa.api.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Kafka Streams reports the RocksDB metrics of key-value, window and session stores under one name
 * with a different tag key for each kind of store; Prometheus needs one set of tag keys per name,
 * and would drop all but the first kind. The store kinds become one tag key here: store names are
 * unique within a version, so nothing is merged.
 */
@Factory
final class StreamsMeterFilters {

  private static final String STATE_METRICS = "kafka.stream.state";

  @Singleton
  MeterFilter windowStores() {
    return MeterFilter.renameTag(STATE_METRICS, "rocksdb.window.state.id", "rocksdb.state.id");
  }

  @Singleton
  MeterFilter sessionStores() {
    return MeterFilter.renameTag(STATE_METRICS, "rocksdb.session.state.id", "rocksdb.state.id");
  }
}
