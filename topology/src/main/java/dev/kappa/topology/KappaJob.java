package dev.kappa.topology;

import dev.kappa.topology.internal.ExplicitNames;
import dev.kappa.topology.internal.TopologyFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.TopologyException;
import org.jspecify.annotations.Nullable;

/**
 * The definition of a job: its name, its sources, its sinks, the serving tables it materializes and
 * the processing that connects them. One definition is what unit tests, the demo, every version
 * under reprocessing and the serving layer all use.
 *
 * <pre>{@code
 * KappaJob job = KappaJob.named("network-usage")
 *     .source(USAGE_EVENTS)
 *     .source(NODE_ALARMS)
 *     .sink(ALARMS_WITH_USAGE)
 *     .servingTable(USAGE_BY_NODE)
 *     .topology(NetworkUsageJob::define)
 *     .build();
 * JobTopology topology = job.topology();   // built and checked: explicit names, tables, sources
 * }</pre>
 *
 * <p>Immutable and thread-safe. Building a topology calls the {@link TopologyDefinition} again.
 */
public final class KappaJob {

  private final String name;
  private final Map<String, Source<?, ?>> sources;
  private final Map<String, Sink<?, ?>> sinks;
  private final Map<String, ServingTable<?, ?>> servingTables;
  private final TopologyDefinition definition;

  private KappaJob(Builder builder, TopologyDefinition definition) {
    this.name = builder.name;
    // Copies that keep the order of declaration.
    this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(builder.sources));
    this.sinks = Collections.unmodifiableMap(new LinkedHashMap<>(builder.sinks));
    this.servingTables = Collections.unmodifiableMap(new LinkedHashMap<>(builder.servingTables));
    this.definition = definition;
  }

  /**
   * Starts the definition of a job called {@code name}: 1 to 100 lower-case letters, digits or
   * {@code -}.
   */
  public static Builder named(String name) {
    return new Builder(Names.checkJob(name));
  }

  /** The job's name. */
  public String name() {
    return name;
  }

  /** The sources, in the order they were declared. */
  public List<Source<?, ?>> sources() {
    return List.copyOf(sources.values());
  }

  /** The sinks, in the order they were declared. */
  public List<Sink<?, ?>> sinks() {
    return List.copyOf(sinks.values());
  }

  /** The serving tables, in the order they were declared. */
  public List<ServingTable<?, ?>> servingTables() {
    return List.copyOf(servingTables.values());
  }

  /** The serving table called {@code name}, if the job declares one. */
  public Optional<ServingTable<?, ?>> servingTable(String name) {
    return Optional.ofNullable(servingTables.get(name));
  }

  @Nullable Source<?, ?> declaredSource(String topic) {
    return sources.get(topic);
  }

  @Nullable Sink<?, ?> declaredSink(String name) {
    return sinks.get(name);
  }

  @Nullable ServingTable<?, ?> declaredServingTable(String name) {
    return servingTables.get(name);
  }

  /** Builds and checks the topology of a single, unversioned deployment of this job. */
  public JobTopology topology() {
    return topology(JobNaming.unversioned(name));
  }

  /**
   * Builds and checks the topology of this job for the deployment that {@code naming} names.
   *
   * @throws JobDefinitionException if the definition is wrong: an operator, store or internal topic
   *     without an explicit name, a serving table declared but not materialized, a source or sink
   *     declared but not used, or used but not declared
   */
  public JobTopology topology(JobNaming naming) {
    TopologyFactory.JobStreams streams = TopologyFactory.streamsBuilder(naming.applicationId());
    JobStreamsBuilder builder = new JobStreamsBuilder(this, naming, streams);
    definition.define(builder);
    Topology topology;
    try {
      topology = streams.build();
    } catch (TopologyException e) {
      if (ExplicitNames.isUnnamedResourceError(e)) {
        throw new JobDefinitionException(ExplicitNames.unnamedResourcesMessage(name, e), e);
      }
      throw new JobDefinitionException(
          "Cannot build the topology of job '" + name + "': " + e.getMessage(), e);
    }
    ExplicitNames.check(name, topology.describe());
    return builder.complete(topology, streams.windowedChangelogs());
  }

  @Override
  public String toString() {
    return "KappaJob[" + name + "]";
  }

  /** Collects the parts of a job; {@link #build()} checks that the definition is complete. */
  public static final class Builder {
    private final String name;
    private final Map<String, Source<?, ?>> sources = new LinkedHashMap<>();
    private final Map<String, Sink<?, ?>> sinks = new LinkedHashMap<>();
    private final Map<String, ServingTable<?, ?>> servingTables = new LinkedHashMap<>();
    private @Nullable TopologyDefinition definition;

    private Builder(String name) {
      this.name = name;
    }

    /** Declares a source topic. */
    public Builder source(Source<?, ?> source) {
      putOnce(sources, source.topic(), source, "source topic");
      return this;
    }

    /** Declares a sink. */
    public Builder sink(Sink<?, ?> sink) {
      putOnce(sinks, sink.name(), sink, "sink");
      return this;
    }

    /** Declares a serving table. */
    public Builder servingTable(ServingTable<?, ?> table) {
      putOnce(servingTables, table.name(), table, "serving table");
      return this;
    }

    /** Sets the processing of the job. */
    public Builder topology(TopologyDefinition definition) {
      this.definition = Objects.requireNonNull(definition, "definition");
      return this;
    }

    /**
     * The job.
     *
     * @throws JobDefinitionException if it has no sources or no topology definition
     */
    public KappaJob build() {
      if (sources.isEmpty()) {
        throw new JobDefinitionException(
            "Job '" + name + "' has no sources: declare each topic it reads with source(..)");
      }
      if (definition == null) {
        throw new JobDefinitionException(
            "Job '" + name + "' has no processing: pass a TopologyDefinition to topology(..)");
      }
      return new KappaJob(this, definition);
    }

    private <T> void putOnce(Map<String, T> map, String key, T value, String what) {
      Objects.requireNonNull(value, what);
      if (map.putIfAbsent(key, value) != null) {
        throw new JobDefinitionException(
            "Job '" + name + "' declares the " + what + " '" + key + "' twice: declare it once");
      }
    }
  }
}
