package dev.kappa.reprocessing.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.deadletter.internal.PartitionReader;
import dev.kappa.reprocessing.deadletter.internal.RedriveLog;
import dev.kappa.reprocessing.deadletter.internal.Redriver;
import dev.kappa.reprocessing.internal.ClientSettings;
import dev.kappa.topology.KappaException;
import dev.kappa.topology.deadletter.DeadLetter;
import dev.kappa.topology.runtime.JobConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the dead letters of a job version and sends chosen ones back to their source topic, each at
 * most once.
 *
 * <pre>{@code
 * DeadLetters deadLetters = DeadLetters.of(jobConfig);
 * JobVersion v1 = JobVersion.of("meters", 1);
 * for (ListedDeadLetter listed : deadLetters.newest(v1, 50).letters()) {
 *     System.out.println(listed.id() + ": " + listed.letter().message());
 * }
 * RedriveResult result = deadLetters.redrive(v1,
 *     List.of(RedriveRequest.of(0, 2).withValue(fixed.getBytes(StandardCharsets.UTF_8))));
 * }</pre>
 *
 * <p><b>Reading.</b> {@link #newest} lists the newest letters of the version's dead-letter topic
 * ({@code <job>-v<n>-dead-letters}), read {@code read_committed} (the job writes them in its
 * transactions), with whether each has been re-driven, and how many letters the topic holds.
 *
 * <p><b>Re-driving.</b> {@link #redrive} sends each chosen letter to the topic and partition it was
 * read from, with its original key and headers, its record's original timestamp (the event time;
 * now if the letter does not say), the letter's value or a replacement, and the header {@value
 * #REDRIVEN_FROM_HEADER} holding the letter's {@link DeadLetterId}. The record and an entry for the
 * letter in the job's re-drive log ({@link #redriveLogTopic}, compacted, created when first needed)
 * are written in one Kafka transaction with the job's one transactional id ({@link
 * #transactionalId}). A caller first fences every earlier one, then reads the log and skips the
 * letters in it. So a letter is sent once however often, and from however many instances and
 * processes, it is asked for, across restarts; the answer says which letters this call sent and
 * which had been sent before. Readers of the source topic see each re-driven record once if they
 * read {@code read_committed}, as Kafka Streams does under exactly-once: a caller that is fenced
 * mid-way leaves records that its aborted transaction hides only from such readers.
 *
 * <p>The Kafka clients use the cluster and the security settings of the {@link JobConfig}; each
 * call makes its own and closes them. Thread-safe: calls for one job are taken one at a time within
 * one {@code DeadLetters}, so that they do not fence each other.
 */
public final class DeadLetters {

  /** The header of a re-driven record that holds the {@link DeadLetterId} of its letter. */
  public static final String REDRIVEN_FROM_HEADER = "kappa.redriven.from";

  /** The most letters one call lists or re-drives. */
  public static final int MAX_LETTERS = 1000;

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  /** The headers Kafka Streams adds to a dead letter, besides the record's own. */
  private static final String STREAMS_ERROR_HEADERS = "__streams.errors.";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final Comparator<ListedDeadLetter> NEWEST_FIRST =
      Comparator.comparing(ListedDeadLetter::timestamp)
          .reversed()
          .thenComparingInt(listed -> listed.id().partition())
          .thenComparing(listed -> listed.id().offset(), Comparator.reverseOrder());

  private static final Comparator<TopicPartition> BY_PARTITION =
      Comparator.comparingInt(TopicPartition::partition);

  private final Map<String, Object> clientSettings;
  private final Map<String, Object> jobLocks = new ConcurrentHashMap<>();

  private DeadLetters(Map<String, Object> clientSettings) {
    this.clientSettings = Map.copyOf(clientSettings);
  }

  /** Dead letters on the cluster of {@code config}, with its security settings. */
  public static DeadLetters of(JobConfig config) {
    return new DeadLetters(ClientSettings.of(Objects.requireNonNull(config, "config")));
  }

  /**
   * The re-drive log of {@code job}: {@code <job>-redriven}. Its keys are {@link DeadLetterId}s of
   * every version of the job.
   */
  public static String redriveLogTopic(String job) {
    return Objects.requireNonNull(job, "job") + "-redriven";
  }

  /**
   * The transactional id with which letters of {@code job} are re-driven: {@code
   * kappa-redrive-<job>}.
   */
  public static String transactionalId(String job) {
    return "kappa-redrive-" + Objects.requireNonNull(job, "job");
  }

  /**
   * The newest {@code limit} dead letters of {@code version}, newest first, and how many its
   * dead-letter topic holds (see {@link DeadLetterPage#total()}). A record of the topic that is not
   * a dead letter (it lacks the headers) is logged and left out. A version whose dead-letter topic
   * does not exist (retired, or never started) has none.
   *
   * @param limit how many letters at most, from 1 to {@value #MAX_LETTERS}
   * @throws IllegalArgumentException if {@code limit} is out of range
   * @throws KappaException if the cluster does not answer within 30 s
   */
  public DeadLetterPage newest(JobVersion version, int limit) {
    Objects.requireNonNull(version, "version");
    if (limit < 1 || limit > MAX_LETTERS) {
      throw new IllegalArgumentException(
          "Bad limit " + limit + ": ask for 1 to " + MAX_LETTERS + " dead letters");
    }
    String topic = version.naming().deadLetterTopic();
    try (Admin admin = admin();
        PartitionReader reader = reader(version)) {
      List<TopicPartition> partitions = partitions(admin, topic);
      if (partitions.isEmpty()) {
        return new DeadLetterPage(version, topic, 0, true, List.of());
      }
      Map<TopicPartition, Long> beginnings = reader.beginnings(partitions);
      Map<TopicPartition, Long> ends = reader.ends(partitions);
      List<ConsumerRecord<byte[], byte[]>> newest = new ArrayList<>();
      long total = 0;
      boolean exact = true;
      for (TopicPartition partition : partitions) {
        Tail tail = tail(reader, partition, beginnings.get(partition), ends.get(partition), limit);
        newest.addAll(tail.records());
        total += tail.total();
        exact &= tail.exact();
      }
      Set<String> redriven =
          new RedriveLog(redriveLogTopic(version.job())).read(admin, reader).keySet();
      List<ListedDeadLetter> letters = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : newest) {
        DeadLetterId id = new DeadLetterId(topic, record.partition(), record.offset());
        try {
          DeadLetter letter = DeadLetter.of(record.key(), record.value(), record.headers());
          letters.add(
              new ListedDeadLetter(
                  id,
                  Instant.ofEpochMilli(record.timestamp()),
                  letter,
                  redriven.contains(id.toString())));
        } catch (IllegalArgumentException e) {
          log.warn(
              "Record {} of {} is left out of its dead letters: {}", id, version, e.getMessage());
        }
      }
      letters.sort(NEWEST_FIRST);
      return new DeadLetterPage(
          version, topic, total, exact, letters.subList(0, Math.min(limit, letters.size())));
    }
  }

  /**
   * The last records of a partition and how many it holds.
   *
   * @param records at most the limit, by offset
   * @param total exact, or an upper bound that counts by offsets what was not read
   * @param exact whether the partition was read from its beginning
   */
  private record Tail(List<ConsumerRecord<byte[], byte[]>> records, long total, boolean exact) {}

  /** The last {@code limit} committed records of {@code partition}, between its offsets. */
  private static Tail tail(
      PartitionReader reader, TopicPartition partition, long beginning, long end, int limit) {
    // Read backwards from the end in growing steps until there are enough letters: transaction
    // markers and aborted letters take offsets too.
    List<ConsumerRecord<byte[], byte[]>> kept = new ArrayList<>();
    long counted = 0;
    long from = end;
    long step = limit;
    while (from > beginning && kept.size() < limit) {
      long start = Math.max(beginning, from - step);
      List<ConsumerRecord<byte[], byte[]>> read = reader.read(partition, start, from);
      kept.addAll(0, read);
      counted += read.size();
      from = start;
      step = Math.min(step * 2, Integer.MAX_VALUE);
    }
    return new Tail(
        kept.subList(Math.max(0, kept.size() - limit), kept.size()),
        counted + (from - beginning),
        from == beginning);
  }

  /**
   * Sends the dead letters of {@code version} that {@code requests} name back to their source
   * topics, those not sent before, each in one transaction with its entry in the job's re-drive log
   * (see the class description).
   *
   * @param requests the letters, each named once, at most {@value #MAX_LETTERS}
   * @return the letters this call sent and those that had been sent before, with where their
   *     records went, in the order of {@code requests}
   * @throws IllegalArgumentException if {@code requests} is empty, too long or names a letter
   *     twice; if a letter does not exist (not in the topic, or an aborted letter); if it was read
   *     from a topic of the version itself (a repartition topic) rather than a source; if it holds
   *     only the start of its value and no replacement is given; if a record is larger than the
   *     producer or its topic accepts. Then nothing is sent.
   * @throws KappaException if the re-drive log exists but is not compacted, or the cluster fails
   */
  public RedriveResult redrive(JobVersion version, List<RedriveRequest> requests) {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(requests, "requests");
    String topic = version.naming().deadLetterTopic();
    if (requests.isEmpty()) {
      throw new IllegalArgumentException(
          "Name at least one dead letter of " + version + " to re-drive, by partition and offset");
    }
    if (requests.size() > MAX_LETTERS) {
      throw new IllegalArgumentException(
          "Cannot re-drive "
              + requests.size()
              + " dead letters at once: send at most "
              + MAX_LETTERS
              + " per call");
    }
    Map<DeadLetterId, RedriveRequest> byId = new LinkedHashMap<>();
    for (RedriveRequest request : requests) {
      DeadLetterId id = new DeadLetterId(topic, request.partition(), request.offset());
      if (byId.put(id, request) != null) {
        throw new IllegalArgumentException(
            "Dead letter " + id + " is named twice: name each letter once");
      }
    }
    synchronized (jobLocks.computeIfAbsent(version.job(), job -> new Object())) {
      try (Admin admin = admin();
          PartitionReader reader = reader(version)) {
        Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> records =
            fetch(admin, reader, version, byId.keySet());
        List<Redriver.Letter> letters = new ArrayList<>();
        byId.forEach(
            (id, request) ->
                letters.add(
                    new Redriver.Letter(
                        id, resent(version, id, records.get(id), request.value()))));
        RedriveLog redriveLog = new RedriveLog(redriveLogTopic(version.job()));
        redriveLog.prepare(admin);
        return new Redriver(clientSettings, transactionalId(version.job()), redriveLog, TIMEOUT)
            .send(admin, letters);
      }
    }
  }

  /** The records of the letters {@code ids}, each of which must exist. */
  private Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> fetch(
      Admin admin, PartitionReader reader, JobVersion version, Set<DeadLetterId> ids) {
    String topic = version.naming().deadLetterTopic();
    List<TopicPartition> partitions = partitions(admin, topic);
    Map<TopicPartition, NavigableSet<Long>> wanted = new TreeMap<>(BY_PARTITION);
    for (DeadLetterId id : ids) {
      TopicPartition partition = new TopicPartition(topic, id.partition());
      if (!partitions.contains(partition)) {
        throw new IllegalArgumentException(
            "No dead letter "
                + id
                + " of "
                + version
                + ": "
                + (partitions.isEmpty()
                    ? "the version has no dead-letter topic '" + topic + "'"
                    : "'" + topic + "' has partitions 0 to " + (partitions.size() - 1)));
      }
      wanted.computeIfAbsent(partition, p -> new TreeSet<>()).add(id.offset());
    }
    Map<TopicPartition, Long> beginnings = reader.beginnings(wanted.keySet());
    Map<TopicPartition, Long> ends = reader.ends(wanted.keySet());
    Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> found = new LinkedHashMap<>();
    for (Map.Entry<TopicPartition, NavigableSet<Long>> entry : wanted.entrySet()) {
      TopicPartition partition = entry.getKey();
      long beginning = beginnings.get(partition);
      long end = ends.get(partition);
      for (long offset : entry.getValue()) {
        if (offset < beginning || offset >= end) {
          throw new IllegalArgumentException(
              "No dead letter "
                  + new DeadLetterId(topic, partition.partition(), offset)
                  + " of "
                  + version
                  + ": partition "
                  + partition.partition()
                  + " holds offsets "
                  + beginning
                  + " to "
                  + (end - 1)
                  + (end == beginning ? " (it is empty)" : "")
                  + ". List the dead letters for their offsets.");
        }
      }
      reader
          .readAt(partition, entry.getValue())
          .forEach(
              (offset, record) ->
                  found.put(new DeadLetterId(topic, partition.partition(), offset), record));
    }
    Set<DeadLetterId> missing = new HashSet<>(ids);
    missing.removeAll(found.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "No dead letter "
              + new TreeSet<>(missing.stream().map(DeadLetterId::toString).toList())
              + " of "
              + version
              + ": the offset holds a transaction marker or a letter of an aborted transaction."
              + " List the dead letters for their offsets.");
    }
    return found;
  }

  /** The record to send for the letter {@code id}, read as {@code record}. */
  private static ProducerRecord<byte[], byte[]> resent(
      JobVersion version,
      DeadLetterId id,
      ConsumerRecord<byte[], byte[]> record,
      byte @Nullable [] replacement) {
    DeadLetter letter;
    try {
      letter = DeadLetter.of(record.key(), record.value(), record.headers());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot re-drive " + id + " of " + version + ": " + e.getMessage(), e);
    }
    if (letter.sourceTopic().startsWith(version.applicationId() + "-")) {
      throw new IllegalArgumentException(
          "Cannot re-drive "
              + id
              + " of "
              + version
              + ": it was read from '"
              + letter.sourceTopic()
              + "', a topic of the version itself, not from a source; sending it there would skip"
              + " the steps before it. Re-drive it from a source topic, or fix the step that failed.");
    }
    byte[] value = replacement != null ? replacement : letter.value();
    if (replacement == null
        && letter.value() != null
        && letter.valueSize() > letter.value().length) {
      throw new IllegalArgumentException(
          "Cannot re-drive "
              + id
              + " of "
              + version
              + " as it is: it holds only the first "
              + letter.value().length
              + " of the "
              + letter.valueSize()
              + " bytes of its value (the whole record is at "
              + letter.sourceTopic()
              + "-"
              + letter.sourcePartition()
              + "@"
              + letter.sourceOffset()
              + "). Send a replacement value.");
    }
    Headers headers = new RecordHeaders();
    for (Header header : record.headers()) {
      String key = header.key();
      // The record's own headers go back with it; those of the dead letter and of an earlier
      // re-drive do not.
      if (!key.startsWith(STREAMS_ERROR_HEADERS)
          && !key.equals(DeadLetter.TIMESTAMP_HEADER)
          && !key.equals(DeadLetter.VALUE_SIZE_HEADER)
          && !key.equals(REDRIVEN_FROM_HEADER)) {
        headers.add(header);
      }
    }
    headers.add(REDRIVEN_FROM_HEADER, id.toString().getBytes(UTF_8));
    long timestamp =
        letter.sourceTimestamp() >= 0 ? letter.sourceTimestamp() : System.currentTimeMillis();
    return new ProducerRecord<>(
        letter.sourceTopic(), letter.sourcePartition(), timestamp, letter.key(), value, headers);
  }

  /** The partitions of {@code topic}, by number; none if it does not exist. */
  private static List<TopicPartition> partitions(Admin admin, String topic) {
    try {
      TopicDescription description =
          admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
      return description.partitions().stream()
          .map(info -> new TopicPartition(topic, info.partition()))
          .sorted(BY_PARTITION)
          .toList();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return List.of();
      }
      throw new KappaException(
          "Cannot read the dead-letter topic '" + topic + "': " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KappaException(
          "Interrupted while reading the dead-letter topic '" + topic + "'", e);
    }
  }

  private Admin admin() {
    Map<String, Object> config = new HashMap<>(clientSettings);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    return Admin.create(config);
  }

  private PartitionReader reader(JobVersion version) {
    return new PartitionReader(
        clientSettings,
        "kappa-dead-letters-"
            + version.applicationId()
            + "-"
            + UUID.randomUUID().toString().substring(0, 8),
        TIMEOUT);
  }
}
