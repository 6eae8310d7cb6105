package dev.kappa.stores;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

/**
 * The {@code rocksdb.config.setter} that puts every RocksDB store of a Kafka Streams instance under
 * the {@link RocksDbMemoryBudget} found in its configuration (or the process default).
 *
 * <p>Each store's block cache is the budget's shared cache with a strict capacity limit; its
 * memtables are charged to that cache through the budget's write-buffer manager; its index and
 * filter blocks are cached there too, with high priority, and the top-level index is pinned. Kafka
 * Streams creates one instance per store; all of them share the budget's native objects and none
 * closes them.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {

  private static final long BLOCK_SIZE = 16L * 1024;
  private static final int MAX_WRITE_BUFFERS = 3;

  /** Kafka Streams creates config setters by reflection. */
  public BoundedMemoryRocksDbConfig() {}

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    RocksDbMemoryBudget budget = RocksDbMemoryBudget.from(configs);
    // Modify Kafka's own table config instance: Kafka Streams reads the block cache back from it to
    // report the block-cache metrics.
    BlockBasedTableConfig tableConfig = (BlockBasedTableConfig) options.tableFormatConfig();
    tableConfig.setBlockCache(budget.cache());
    tableConfig.setBlockSize(BLOCK_SIZE);
    tableConfig.setCacheIndexAndFilterBlocks(true);
    tableConfig.setCacheIndexAndFilterBlocksWithHighPriority(true);
    tableConfig.setPinTopLevelIndexAndFilter(true);
    options.setTableFormatConfig(tableConfig);
    options.setWriteBufferManager(budget.writeBufferManager());
    options.setWriteBufferSize(budget.memtableBytes());
    options.setMaxWriteBufferNumber(MAX_WRITE_BUFFERS);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write-buffer manager belong to the budget, which outlives every store.
  }
}
