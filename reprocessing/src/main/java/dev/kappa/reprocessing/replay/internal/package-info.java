/**
 * Alignment by event time: every instance of a version releases the records of its source
 * partitions within a skew of one low watermark, so that event time cannot run ahead on one
 * partition, thread or instance and close windows early. {@link
 * dev.kappa.reprocessing.replay.internal.Watermark} holds the rules; {@link
 * dev.kappa.reprocessing.replay.internal.EventTimeGate} applies them to the partitions of one Kafka
 * Streams instance, with {@link dev.kappa.reprocessing.replay.internal.RecordTimes} to read event
 * times; {@link dev.kappa.reprocessing.replay.internal.SharedPositions} shares the partitions'
 * frontiers through Kafka; {@link dev.kappa.reprocessing.replay.internal.PacedConsumer} and {@link
 * dev.kappa.reprocessing.replay.internal.CommitReportingProducer} wrap the stream threads' clients,
 * which {@link dev.kappa.reprocessing.replay.internal.PacedClientSupplier} makes.
 */
@NullMarked
package dev.kappa.reprocessing.replay.internal;

import org.jspecify.annotations.NullMarked;
