package dev.kappa.examples.demo;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the demo needs to know of one example job: the records to produce, what to print of its
 * serving tables, and the URLs worth asking. {@link KappaDemo} runs the same loop for each.
 *
 * <p>Not thread-safe: the demo's main thread calls every method.
 */
interface DemoWorkload {

  /** The job's name, as the service knows it ({@code kappa.jobs}) and as {@code --job} names it. */
  String job();

  /** The job's source topics: the demo creates them with infinite retention. */
  List<String> sourceTopics();

  /**
   * What {@code --rate} counts and the scale of the workload, for the line that starts the demo,
   * such as {@code "2000 readings/s of 100000 customers"}.
   */
  String describeRate(int rate);

  /**
   * The records for one unit of {@code --rate} at {@code clock}: usually one, sometimes more (an
   * alarm after a reading) and, now and then, a bad one that the job sends to its dead letters.
   * Event times are at or shortly before {@code clock}.
   */
  List<ProducerRecord<String, byte[]>> next(Instant clock);

  /**
   * Prints a few values of the job's serving tables, read by table name from the active version;
   * with {@code besideV1}, v2 is active and v1 still runs, and v1's values may be shown beside.
   */
  void printTables(DemoServices services, PrintStream out, boolean besideV1);

  /**
   * The job's own URLs to ask, as (what, URL) pairs, for instances {@code a} and {@code b} (base
   * URLs such as {@code http://localhost:8080}); {@link DemoUrls} adds those that every job has.
   */
  List<DemoUrls.Url> urls(String a, String b);
}
