package dev.kappa.topology;

import dev.kappa.topology.internal.JoinTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.Topology;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link JobStreamsBuilder} has used of its job's declared parts (sources read, sinks
 * written, serving tables materialized), its joins and their graces: each use is checked against
 * the declaration, and {@link #complete} checks that nothing declared went unused.
 */
final class JobParts {

  private final KappaJob job;
  private final JobNaming naming;
  private final Set<String> readSources = new HashSet<>();
  private final Set<String> writtenSinks = new HashSet<>();
  private final Map<String, ServedTable> servedTables = new LinkedHashMap<>();
  private final List<String> joins = new ArrayList<>();
  private final Map<String, Duration> graces = new LinkedHashMap<>();

  JobParts(KappaJob job, JobNaming naming) {
    this.job = job;
    this.naming = naming;
  }

  /** Records that {@code source} is read; it must be the one the job declares. */
  void read(Source<?, ?> source) {
    requireDeclared(job.declaredSource(source.topic()), source, "reads source topic", "source");
    readSources.add(source.topic());
  }

  /** Records that {@code sink} is written; it must be the one the job declares. */
  void write(Sink<?, ?> sink) {
    requireDeclared(job.declaredSink(sink.name()), sink, "writes to sink", "sink");
    writtenSinks.add(sink.name());
  }

  /**
   * Records the grace of the window or join {@code step} (a serving table or a join name); of two
   * bounds of one step, the smaller counts.
   */
  void grace(String step, Duration grace) {
    graces.merge(step, grace, (one, other) -> one.compareTo(other) <= 0 ? one : other);
  }

  /** Records a join named {@code name}, which must be the only one of that name. */
  void join(String name) {
    Names.checkOperator(name);
    if (joins.contains(name)) {
      throw new JobDefinitionException(
          "Job '"
              + job.name()
              + "' has two joins named '"
              + name
              + "': give each join its own name");
    }
    joins.add(name);
  }

  /** Records that {@code table} is served, with its shape, windows and retention. */
  void serve(
      ServingTable<?, ?> table,
      ServingTable.Shape shape,
      @Nullable Duration windowSize,
      @Nullable Duration retention,
      @Nullable TimeGrid grid) {
    requireDeclared(
        job.declaredServingTable(table.name()),
        table,
        "materializes serving table",
        "servingTable");
    if (table.shape() != shape) {
      throw new JobDefinitionException(
          "Serving table '"
              + table.name()
              + "' of job '"
              + job.name()
              + "' is declared "
              + table.shape()
              + " but materialized by an aggregation that makes it "
              + shape
              + ": declare it with ServingTable."
              + factoryOf(shape)
              + "(..)");
    }
    if (servedTables.containsKey(table.name())) {
      throw new JobDefinitionException(
          "Job '"
              + job.name()
              + "' materializes serving table '"
              + table.name()
              + "' twice:"
              + " each serving table is the store of exactly one aggregation");
    }
    servedTables.put(table.name(), new ServedTable(table, windowSize, retention, grid));
  }

  /**
   * Checks that {@code used} is what the job declares under its name: the same codecs (and event
   * time), so that one declaration is what every version and the serving layer see.
   */
  private void requireDeclared(
      @Nullable Object declared, Object used, String verb, String declaration) {
    String uses = "Job '" + job.name() + "' " + verb + " '" + nameOf(used) + "'";
    if (declared == null) {
      throw new JobDefinitionException(
          uses
              + " but does not declare it: add ."
              + declaration
              + "(..) for it to the job definition");
    }
    if (!declared.equals(used)) {
      throw new JobDefinitionException(
          uses
              + " but declares it differently (other codecs or event time): use the instance the"
              + " job definition declares");
    }
  }

  private static String nameOf(Object part) {
    if (part instanceof Source) {
      return ((Source<?, ?>) part).topic();
    }
    if (part instanceof Sink) {
      return ((Sink<?, ?>) part).name();
    }
    return ((ServingTable<?, ?>) part).name();
  }

  private static String factoryOf(ServingTable.Shape shape) {
    switch (shape) {
      case KEY_VALUE:
        return "keyValue";
      case WINDOWED:
        return "windowed";
      default:
        return "session";
    }
  }

  /** Checks that every declared part was used, and describes the built topology. */
  JobTopology complete(Topology topology, Map<String, Duration> windowedChangelogs) {
    List<String> problems = new ArrayList<>();
    for (Source<?, ?> source : job.sources()) {
      if (!readSources.contains(source.topic())) {
        problems.add("source topic '" + source.topic() + "' is declared but never read");
      }
    }
    for (Sink<?, ?> sink : job.sinks()) {
      if (!writtenSinks.contains(sink.name())) {
        problems.add("sink '" + sink.name() + "' is declared but never written");
      }
    }
    for (ServingTable<?, ?> table : job.servingTables()) {
      if (!servedTables.containsKey(table.name())) {
        problems.add(
            "serving table '"
                + table.name()
                + "' is declared but never materialized (materialize it"
                + " with one of the aggregate(..) helpers, or addServingStore(..) for a processor of your own)");
      }
    }
    if (!problems.isEmpty()) {
      throw new JobDefinitionException(
          "Job '"
              + job.name()
              + "' does not use what it declares: "
              + String.join("; ", problems)
              + ". Use each declared part or remove its declaration.");
    }
    List<JoinInputs> joinInputs = JoinTopics.of(topology.describe(), joins);
    return new JobTopology(
        job,
        naming,
        topology,
        List.copyOf(servedTables.values()),
        joinInputs,
        graces,
        windowedChangelogs);
  }
}
