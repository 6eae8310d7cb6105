/** Micrometer meters of the jobs, their versions and replays. */
package dev.kappa.api.metrics;
