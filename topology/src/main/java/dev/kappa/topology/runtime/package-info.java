/**
 * Running a job: {@link dev.kappa.topology.runtime.JobConfig} holds how it runs and {@link
 * dev.kappa.topology.runtime.RunningJob} checks its topics and runs one Kafka Streams instance of
 * it.
 */
@NullMarked
package dev.kappa.topology.runtime;

import org.jspecify.annotations.NullMarked;
