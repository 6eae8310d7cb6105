package dev.kappa.examples.networkusage;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.kappa.serde.JsonSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;

/**
 * Produces the network-usage workload with a fixed seed: readings of customers' devices in a
 * hierarchy of customers, nodes and agents, some of them out of order, a few malformed, and now and
 * then an alarm of a node that just sent a reading.
 *
 * <p>Customer {@code c-000123} is attached to node {@code n-(123 / customersPerNode)}, and node
 * {@code n-0042} to agent {@code a-(42 / nodesPerAgent)}, so each node serves a contiguous block of
 * customers and each agent a block of nodes. The same seed, shape and calls give the same records.
 *
 * <pre>{@code
 * UsageGenerator generator = new UsageGenerator(42, Shape.of(10_000, 200, 10), Mix.DEMO);
 * for (GeneratedRecord record : generator.next(Instant.now())) {
 *     producer.send(record.toProducerRecord());
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class UsageGenerator {

  private static final String[] ALARM_KINDS = {
    "link-down", "high-latency", "packet-loss", "power-failure"
  };

  private final SplittableRandom random;
  private final Shape shape;
  private final Mix mix;
  private final JsonSerde<UsageEvent> readings = JsonSerde.of(UsageEvent.class);
  private final JsonSerde<NodeAlarm> alarms = JsonSerde.of(NodeAlarm.class);

  /**
   * A generator of {@code shape}'s hierarchy with {@code mix}'s share of disorder, errors and
   * alarms.
   */
  public UsageGenerator(long seed, Shape shape, Mix mix) {
    this.random = new SplittableRandom(seed);
    this.shape = Objects.requireNonNull(shape, "shape");
    this.mix = Objects.requireNonNull(mix, "mix");
  }

  /**
   * The size of the hierarchy.
   *
   * @param customers the number of customers (devices)
   * @param nodes the number of nodes; each serves {@code customers / nodes} customers
   * @param agents the number of agents; each serves {@code nodes / agents} nodes
   */
  public record Shape(int customers, int nodes, int agents) {

    /** The scenario's region: a million customers on 2,000 nodes on 40 agents. */
    public static final Shape REGION = new Shape(1_000_000, 2_000, 40);

    /** Checks that each level has at least as many members as the one above. */
    public Shape {
      if (agents < 1 || nodes < agents || customers < nodes) {
        throw new IllegalArgumentException(
            "Need customers >= nodes >= agents >= 1, got customers="
                + customers
                + ", nodes="
                + nodes
                + ", agents="
                + agents);
      }
    }

    /** A hierarchy of the given size. */
    public static Shape of(int customers, int nodes, int agents) {
      return new Shape(customers, nodes, agents);
    }
  }

  /**
   * What else the workload holds besides in-order valid readings.
   *
   * @param outOfOrderShare the share of readings whose event time is moved back, by up to {@code
   *     maxDisorder}
   * @param maxDisorder how far back an out-of-order reading may be
   * @param malformedShare the share of records that are malformed (not JSON, negative bytes, a
   *     missing node or agent)
   * @param alarmShare the chance, per reading, of an alarm of the reading's node, up to 5 s before
   *     the clock: alarms are out of order by 5 s at most, the skew that alignment allows the job's
   *     alarm join (README, guarantee 1)
   */
  public record Mix(
      double outOfOrderShare, Duration maxDisorder, double malformedShare, double alarmShare) {

    /**
     * 5 % of readings up to 20 s out of order (within the 30 s grace), 0.1 % malformed, 0.2 %
     * alarms.
     */
    public static final Mix DEMO = new Mix(0.05, Duration.ofSeconds(20), 0.001, 0.002);
  }

  /** What a generated record is. */
  public enum Kind {
    /** A valid reading on {@code usage-events}. */
    READING,
    /** A valid alarm on {@code node-alarms}. */
    ALARM,
    /** A record on {@code usage-events} that the job must send to its dead-letter topic. */
    MALFORMED
  }

  /**
   * One record to produce, with what it holds so that a test can compute results independently.
   *
   * @param topic the topic to produce it to
   * @param key the key
   * @param value the JSON value bytes
   * @param timestamp the record timestamp: the event time, or the clock for a malformed record
   * @param kind what the record is
   * @param reading the reading, for {@link Kind#READING}
   * @param alarm the alarm, for {@link Kind#ALARM}
   */
  public record GeneratedRecord(
      String topic,
      String key,
      byte[] value,
      Instant timestamp,
      Kind kind,
      @Nullable UsageEvent reading,
      @Nullable NodeAlarm alarm) {

    /** The record to send, with the event time as its timestamp. */
    public ProducerRecord<String, byte[]> toProducerRecord() {
      return new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), key, value);
    }
  }

  /**
   * The records for one reading at {@code clock}: the reading (or a malformed record in its place),
   * possibly followed by an alarm of its node.
   */
  public List<GeneratedRecord> next(Instant clock) {
    List<GeneratedRecord> records = new ArrayList<>(2);
    int customer = random.nextInt(shape.customers());
    int node = customer / (shape.customers() / shape.nodes());
    node = Math.min(node, shape.nodes() - 1);
    int agent = Math.min(node / (shape.nodes() / shape.agents()), shape.agents() - 1);
    String customerId = String.format("c-%06d", customer);
    String nodeId = String.format("n-%04d", node);
    String agentId = agentId(agent);
    Instant eventTime = clock;
    if (random.nextDouble() < mix.outOfOrderShare()) {
      eventTime = clock.minusMillis(random.nextLong(mix.maxDisorder().toMillis() + 1));
    }
    long bytes = 64 + (long) Math.exp(random.nextDouble() * Math.log(1_000_000));

    if (random.nextDouble() < mix.malformedShare()) {
      records.add(malformed(customerId, nodeId, agentId, bytes, eventTime));
      return records;
    }
    UsageEvent reading = new UsageEvent(customerId, nodeId, agentId, bytes, eventTime);
    records.add(
        new GeneratedRecord(
            NetworkUsageJob.USAGE_EVENTS.topic(),
            customerId,
            readings.serialize("", reading),
            eventTime,
            Kind.READING,
            reading,
            null));
    if (random.nextDouble() < mix.alarmShare()) {
      Instant alarmTime = clock.minusMillis(random.nextLong(0, 5_001));
      NodeAlarm alarm =
          new NodeAlarm(nodeId, ALARM_KINDS[random.nextInt(ALARM_KINDS.length)], alarmTime);
      records.add(
          new GeneratedRecord(
              NetworkUsageJob.NODE_ALARMS.topic(),
              nodeId,
              alarms.serialize("", alarm),
              alarmTime,
              Kind.ALARM,
              null,
              alarm));
    }
    return records;
  }

  /** The id of agent number {@code agent}: {@code a-07}. */
  public static String agentId(int agent) {
    return String.format("a-%02d", agent);
  }

  private GeneratedRecord malformed(
      String customerId, String nodeId, String agentId, long bytes, Instant eventTime) {
    String json;
    switch (random.nextInt(4)) {
      case 0:
        json = "{\"customerId\":\"" + customerId + "\",\"nodeId\":\"" + nodeId + "\",\"bytes\":";
        break;
      case 1:
        json =
            new String(
                readings.serialize(
                    "", new UsageEvent(customerId, nodeId, agentId, -bytes, eventTime)),
                UTF_8);
        break;
      case 2:
        json =
            new String(
                readings.serialize("", new UsageEvent(customerId, null, agentId, bytes, eventTime)),
                UTF_8);
        break;
      default:
        json =
            new String(
                readings.serialize("", new UsageEvent(customerId, nodeId, null, bytes, eventTime)),
                UTF_8);
        break;
    }
    return new GeneratedRecord(
        NetworkUsageJob.USAGE_EVENTS.topic(),
        customerId,
        json.getBytes(UTF_8),
        eventTime,
        Kind.MALFORMED,
        null,
        null);
  }
}
