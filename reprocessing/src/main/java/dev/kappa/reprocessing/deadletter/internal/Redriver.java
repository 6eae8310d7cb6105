package dev.kappa.reprocessing.deadletter.internal;

import dev.kappa.reprocessing.deadletter.DeadLetterId;
import dev.kappa.reprocessing.deadletter.RedriveResult;
import dev.kappa.reprocessing.deadletter.RedriveResult.Redriven;
import dev.kappa.topology.KappaException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends dead letters back to their source topics, each at most once: the records and their entries
 * in the {@link RedriveLog} are written in one transaction, by a producer with the one
 * transactional id of the job.
 *
 * <p>Why that is enough: {@code initTransactions()} gives the producer a new epoch, which fences
 * every earlier producer with the same transactional id (in this process or another), and it
 * returns only once the transaction the last of them left is completed, committed or aborted. The
 * log, read {@code read_committed} after that, holds every letter whose record was committed
 * before; and the transaction commits only if no other caller has started since, or it would have
 * been fenced. So a letter is skipped if it was sent, and sent by at most one caller otherwise. A
 * fenced caller starts again with a new producer, and finds in the log what the other one sent.
 *
 * <p>Readers of the source topics see a re-driven record once if they read {@code read_committed}
 * (as Kafka Streams does under exactly-once): a fenced attempt may have written records that its
 * abort hides only from them.
 *
 * <p>Not thread-safe: one call at a time per job in a process, since two would fence each other
 * (they would still send each letter once).
 */
public final class Redriver {

  private static final Logger log = LoggerFactory.getLogger(Redriver.class);

  /** How many times a caller starts again after another one fenced it. */
  static final int ATTEMPTS = 10;

  private final Map<String, Object> clientSettings;
  private final String transactionalId;
  private final RedriveLog redriveLog;
  private final Duration timeout;

  /**
   * A sender of letters with {@code transactionalId}, which must be the same for every caller that
   * re-drives letters logged in {@code redriveLog}.
   */
  public Redriver(
      Map<String, Object> clientSettings,
      String transactionalId,
      RedriveLog redriveLog,
      Duration timeout) {
    this.clientSettings = Map.copyOf(clientSettings);
    this.transactionalId = transactionalId;
    this.redriveLog = redriveLog;
    this.timeout = timeout;
  }

  /**
   * A letter to send.
   *
   * @param id where it is in its dead-letter topic
   * @param record the record to send to its source topic
   */
  public record Letter(DeadLetterId id, ProducerRecord<byte[], byte[]> record) {}

  /**
   * Sends those of {@code letters} that the log does not hold, and logs them, in one transaction.
   *
   * @throws IllegalArgumentException if a record is too large to send; nothing is sent then
   * @throws KappaException if the cluster fails the transaction, or other callers fence this one
   *     {@value #ATTEMPTS} times in a row
   */
  public RedriveResult send(Admin admin, List<Letter> letters) {
    for (int attempt = 1; ; attempt++) {
      KafkaProducer<byte[], byte[]> producer = producer();
      try {
        return sendOnce(admin, producer, letters);
      } catch (RuntimeException e) {
        if (!startsAgain(e)) {
          abortQuietly(producer, e);
          if (causes(e, RecordTooLargeException.class)) {
            throw new IllegalArgumentException(
                "Cannot re-drive the dead letters: a record is larger than the producer or its"
                    + " topic accepts ("
                    + e.getMessage()
                    + "). Nothing was sent; send a smaller value.",
                e);
          }
          throw new KappaException(
              "Cannot re-drive dead letters with transactional id '"
                  + transactionalId
                  + "': "
                  + e.getMessage()
                  + ". Nothing was sent; try again.",
              e);
        }
        if (attempt == ATTEMPTS) {
          throw new KappaException(
              "Cannot re-drive dead letters with transactional id '"
                  + transactionalId
                  + "': other callers fenced this one "
                  + ATTEMPTS
                  + " times in a row ("
                  + e.getMessage()
                  + "). Nothing was sent by this call; try again when they are done.",
              e);
        }
        log.info(
            "Re-drive with transactional id '{}' was fenced by another caller ({}); attempt {}"
                + " of {} starts again",
            transactionalId,
            e.toString(),
            attempt + 1,
            ATTEMPTS);
      } finally {
        producer.close(timeout);
      }
      pause(attempt);
    }
  }

  private RedriveResult sendOnce(
      Admin admin, KafkaProducer<byte[], byte[]> producer, List<Letter> letters) {
    // Fences every earlier caller and completes what it left; only then is the log complete.
    producer.initTransactions();
    Map<String, RedriveLog.Entry> logged;
    try (PartitionReader reader =
        new PartitionReader(clientSettings, transactionalId + "-log-" + shortId(), timeout)) {
      logged = redriveLog.read(admin, reader);
    }
    List<Redriven> alreadySent = new ArrayList<>();
    List<Letter> toSend = new ArrayList<>();
    for (Letter letter : letters) {
      RedriveLog.Entry entry = logged.get(letter.id().toString());
      if (entry == null) {
        toSend.add(letter);
      } else {
        alreadySent.add(
            new Redriven(letter.id(), entry.topic(), entry.partition(), entry.offset()));
      }
    }
    if (toSend.isEmpty()) {
      return new RedriveResult(List.of(), alreadySent);
    }
    producer.beginTransaction();
    List<Future<RecordMetadata>> sending = new ArrayList<>();
    for (Letter letter : toSend) {
      sending.add(producer.send(letter.record()));
    }
    // The log entries say where each record went: wait for the offsets, then log them.
    producer.flush();
    List<Redriven> sent = new ArrayList<>();
    for (int i = 0; i < toSend.size(); i++) {
      RecordMetadata metadata = metadata(sending.get(i));
      Redriven redriven =
          new Redriven(
              toSend.get(i).id(), metadata.topic(), metadata.partition(), metadata.offset());
      producer.send(redriveLog.record(redriven));
      sent.add(redriven);
    }
    producer.commitTransaction();
    log.info(
        "Re-drove {} dead letters ({} already sent before): {}",
        sent.size(),
        alreadySent.size(),
        sent);
    return new RedriveResult(sent, alreadySent);
  }

  private RecordMetadata metadata(Future<RecordMetadata> sending) {
    try {
      return sending.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new KappaException("Cannot send a dead letter: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KappaException("Interrupted while re-driving dead letters", e);
    }
  }

  /**
   * Whether {@code error} (or a cause) says another caller took over the transactional id, or the
   * transaction must be given up: a new producer then starts again and reads the log anew.
   */
  static boolean startsAgain(Throwable error) {
    return causes(error, ApplicationRecoverableException.class)
        || causes(error, TransactionAbortableException.class);
  }

  private static boolean causes(Throwable error, Class<? extends Throwable> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  private void abortQuietly(KafkaProducer<byte[], byte[]> producer, RuntimeException failure) {
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      // No transaction was begun, or the producer cannot abort: the next initTransactions() with
      // the same id aborts what is left.
      failure.addSuppressed(e);
    }
  }

  private void pause(int attempt) {
    try {
      // A random pause, so that two callers fencing each other stop taking turns.
      Thread.sleep(ThreadLocalRandom.current().nextLong(20, 100L * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KappaException("Interrupted while re-driving dead letters", e);
    }
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config = new HashMap<>(clientSettings);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId + "-" + shortId());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
