/**
 * Pacing of a replay: the stream threads' consumer releases the records of the source partitions in
 * about the order they were appended, so that event time cannot run ahead on one partition and
 * close windows early. {@link dev.kappa.reprocessing.replay.internal.EventTimeGate} holds the rule
 * and the held records; {@link dev.kappa.reprocessing.replay.internal.PacedConsumer} applies it to
 * one main consumer; {@link dev.kappa.reprocessing.replay.internal.PacedClientSupplier} gives every
 * stream thread of a Kafka Streams instance such a consumer.
 */
@NullMarked
package dev.kappa.reprocessing.replay.internal;

import org.jspecify.annotations.NullMarked;
