package dev.kappa.examples.demo;

import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo prints every few seconds: the rate produced and processed by each version, its dead
 * letters and late drops, then the workload's tables ({@link DemoWorkload#printTables}).
 */
final class DemoReport {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final DemoServices services;
  private final DemoWorkload workload;
  private final PrintStream out;
  private long lastTime;
  private long lastProduced;
  private Map<JobVersion, Long> lastConsumed = new HashMap<>();

  /**
   * Reports on {@code workload}, served by {@code services}, to {@code out}, from {@code started}.
   */
  DemoReport(DemoServices services, DemoWorkload workload, PrintStream out, long started) {
    this.services = services;
    this.workload = workload;
    this.out = out;
    this.lastTime = started;
  }

  /** Prints the rates since the last report, then the tables; {@code produced} so far. */
  void print(long produced, boolean besideV1) {
    printRates(produced);
    workload.printTables(services, out, besideV1);
  }

  private void printRates(long produced) {
    long now = System.nanoTime();
    double seconds = (now - lastTime) / 1e9;
    StringBuilder line =
        new StringBuilder(
            String.format(
                "%n%s at %s UTC: generated %.0f/s",
                workload.job(), TIME.format(Instant.now()), (produced - lastProduced) / seconds));
    Map<JobVersion, Long> consumed = new HashMap<>();
    // Each instance counts the partitions it runs: a version's totals add up both instances.
    Map<JobVersion, Counts> counts = new TreeMap<>(Comparator.comparingInt(JobVersion::number));
    for (JobHost host : services.hosts()) {
      for (JobVersion version : host.runningVersions()) {
        host.running(version)
            .ifPresent(
                running -> {
                  Counts count = counts.computeIfAbsent(version, v -> new Counts());
                  for (String topic : workload.sourceTopics()) {
                    count.consumed += running.committedPosition(topic);
                  }
                  count.deadLetters += running.deadLetters().total();
                  count.dropped += running.droppedRecords();
                });
      }
    }
    counts.forEach(
        (version, count) -> {
          consumed.put(version, count.consumed);
          Long last = lastConsumed.get(version);
          line.append(
              String.format(
                  "; v%d processed %s, %d dead letters, %d late",
                  version.number(),
                  last == null
                      ? "-"
                      : String.format("%.0f/s", Math.max(0, count.consumed - last) / seconds),
                  count.deadLetters,
                  Math.max(0, count.dropped - count.deadLetters)));
        });
    out.println(line);
    lastTime = now;
    lastProduced = produced;
    lastConsumed = consumed;
  }

  /** A version's counts, added up over the instances. */
  private static final class Counts {
    long consumed;
    long deadLetters;
    long dropped;
  }
}
