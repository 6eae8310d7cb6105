/**
 * Serdes with a declared Java type: {@link dev.kappa.serde.Codec} pairs a Kafka serde with its
 * type, and {@link dev.kappa.serde.JsonSerde} reads and writes records and Java time types as JSON
 * with Jackson, failing with messages that name the type and the topic.
 */
@NullMarked
package dev.kappa.serde;

import org.jspecify.annotations.NullMarked;
