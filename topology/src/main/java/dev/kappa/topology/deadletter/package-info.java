/**
 * Dead-letter routing: records that cannot be read or processed go to the job's dead-letter topic
 * with the reason and are counted, through Kafka Streams' built-in dead-letter support. {@link
 * dev.kappa.topology.deadletter.DeadLetter} reads them back.
 */
@NullMarked
package dev.kappa.topology.deadletter;

import org.jspecify.annotations.NullMarked;
