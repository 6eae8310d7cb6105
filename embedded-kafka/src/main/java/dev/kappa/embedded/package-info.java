/**
 * A real Apache Kafka node in KRaft mode, started in-process for integration tests and demos:
 * {@link dev.kappa.embedded.EmbeddedKafka} and its JUnit 5 extension {@link
 * dev.kappa.embedded.EmbeddedKafkaExtension}.
 */
@NullMarked
package dev.kappa.embedded;

import org.jspecify.annotations.NullMarked;
