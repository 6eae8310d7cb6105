package dev.kappa.topology.runtime;

import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams' processing guarantees, as a type instead of a string. */
public enum ProcessingGuarantee {
  /** Each record's effects (state, outputs, dead letters, offsets) commit together exactly once. */
  EXACTLY_ONCE_V2(StreamsConfig.EXACTLY_ONCE_V2),
  /** Records may be processed again after a failure; outputs may then repeat. */
  AT_LEAST_ONCE(StreamsConfig.AT_LEAST_ONCE);

  private final String config;

  ProcessingGuarantee(String config) {
    this.config = config;
  }

  /** The value of {@code processing.guarantee}. */
  public String config() {
    return config;
  }
}
