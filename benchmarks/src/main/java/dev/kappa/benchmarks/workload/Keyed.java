package dev.kappa.benchmarks.workload;

/** A record's key and value, as a scenario wrote it or as the workload implies it. */
public record Keyed<V>(String key, V value) {}
