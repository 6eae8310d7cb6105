package dev.kappa.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.serde.Codec;
import dev.kappa.stores.PersistentStores;
import dev.kappa.topology.testing.JobTestDriver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Key-value serving tables that are not aggregated from a stream: aggregated from a table whose
 * rows change ({@link JobStreamsBuilder#aggregate(org.apache.kafka.streams.kstream.KGroupedTable,
 * ServingTable, org.apache.kafka.streams.kstream.Initializer,
 * org.apache.kafka.streams.kstream.Aggregator, org.apache.kafka.streams.kstream.Aggregator)}), and
 * written by a processor of the job's own ({@link JobStreamsBuilder#addServingStore}).
 */
class KeyValueTableTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

  /** Balances keyed by account; an account's region is the part of its name before the dash. */
  private static final Source<String, Long> BALANCES =
      Source.of("balances", Codec.string(), Codec.longs());

  private static final ServingTable<String, Long> BY_REGION =
      ServingTable.keyValue("balance-by-region", Codec.string(), Codec.longs());

  private JobTestDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void shouldTakeARowsOldValueOutOfItsGroupWhenTheRowChangesOrMoves() {
    KappaJob job =
        KappaJob.named("balances")
            .source(BALANCES)
            .servingTable(BY_REGION)
            .topology(
                b -> {
                  KTable<String, Long> latest =
                      b.stream(BALANCES)
                          .toTable(
                              Named.as("latest-balances"),
                              PersistentStores.keyValue(
                                  "latest-balances", Codec.string(), Codec.longs()));
                  b.aggregate(
                      latest.groupBy(
                          (account, balance) -> KeyValue.pair(account.split("-")[0], balance),
                          Grouped.with(
                              "balances-by-region", Codec.string().serde(), Codec.longs().serde())),
                      BY_REGION,
                      () -> 0L,
                      (region, balance, sum) -> sum + balance,
                      (region, balance, sum) -> sum - balance);
                })
            .build();
    driver = JobTestDriver.of(job, START);
    TestInputTopic<String, Long> balances = driver.input(BALANCES);

    balances.pipeInput("eu-1", 5L, START);
    balances.pipeInput("eu-2", 7L, START);
    balances.pipeInput("us-1", 3L, START);
    assertThat(rows(driver.keyValueStore(BY_REGION)))
        .containsExactly(KeyValue.pair("eu", 12L), KeyValue.pair("us", 3L));

    // eu-1 changes from 5 to 1: 5 out, 1 in
    balances.pipeInput("eu-1", 1L, START.plusSeconds(1));
    assertThat(rows(driver.keyValueStore(BY_REGION)))
        .containsExactly(KeyValue.pair("eu", 8L), KeyValue.pair("us", 3L));
  }

  @Test
  void shouldServeTheRowsThatTheJobsOwnProcessorPutsAndDeletes() {
    // A balance of 0 closes the account: its row goes.
    ServingTable<String, Long> open =
        ServingTable.keyValue("open-accounts", Codec.string(), Codec.longs());
    KappaJob job =
        KappaJob.named("accounts")
            .source(BALANCES)
            .servingTable(open)
            .topology(
                b -> {
                  b.addServingStore(open);
                  b.stream(BALANCES)
                      .process(
                          () -> new OpenAccounts(open), Named.as("open-accounts"), open.name());
                })
            .build();
    driver = JobTestDriver.of(job, START);
    TestInputTopic<String, Long> balances = driver.input(BALANCES);

    balances.pipeInput("eu-1", 5L, START);
    balances.pipeInput("eu-2", 7L, START);
    balances.pipeInput("eu-1", 0L, START.plusSeconds(1));

    assertThat(rows(driver.keyValueStore(open))).containsExactly(KeyValue.pair("eu-2", 7L));
    assertThat(driver.keyValueStore(open).get("eu-2").timestamp()).isEqualTo(START.toEpochMilli());
  }

  /** Keeps the balance of each account that is open. */
  private static final class OpenAccounts implements Processor<String, Long, Void, Void> {

    private final ServingTable<String, Long> table;
    private TimestampedKeyValueStore<String, Long> store;

    OpenAccounts(ServingTable<String, Long> table) {
      this.table = table;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(table.name());
    }

    @Override
    public void process(Record<String, Long> record) {
      if (record.value() == 0) {
        store.delete(record.key());
      } else {
        store.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
      }
    }
  }

  private static <V> List<KeyValue<String, V>> rows(
      KeyValueStore<String, ValueAndTimestamp<V>> store) {
    List<KeyValue<String, V>> rows = new ArrayList<>();
    try (KeyValueIterator<String, ValueAndTimestamp<V>> all = store.all()) {
      all.forEachRemaining(row -> rows.add(KeyValue.pair(row.key, row.value.value())));
    }
    return rows;
  }
}
