package dev.kappa.stores;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.jspecify.annotations.Nullable;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * One memory budget for every RocksDB store that is given it, across all Kafka Streams instances of
 * the process: a single block cache with a strict capacity limit, into which the memtables (write
 * buffers) are charged through a shared write-buffer manager, and which also holds the index and
 * filter blocks.
 *
 * <p>Two versions of a job running side by side in one JVM therefore share one budget instead of
 * each taking its own: RocksDB's usage of the budget never exceeds {@link #totalBytes()}, whatever
 * the number of stores or instances.
 *
 * <p>A Kafka Streams instance uses a budget when its configuration holds {@link
 * BoundedMemoryRocksDbConfig} as {@code rocksdb.config.setter} and the budget object under {@link
 * #CONFIG}:
 *
 * <pre>{@code
 * RocksDbMemoryBudget budget = RocksDbMemoryBudget.ofMebibytes(512);
 * Map<String, Object> config = new HashMap<>();
 * config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class);
 * config.put(RocksDbMemoryBudget.CONFIG, budget);
 * }</pre>
 *
 * <p>Without an explicit budget, stores use {@link #processDefault()} ({@value #DEFAULT_MEBIBYTES}
 * MiB). A budget holds native memory: close it only after every Kafka Streams instance that uses it
 * is closed. Thread-safe.
 */
public final class RocksDbMemoryBudget implements AutoCloseable {

  /** The Kafka Streams configuration key under which the budget object is passed to the stores. */
  public static final String CONFIG = "kappa.rocksdb.memory.budget";

  /** The size of {@link #processDefault()}, in MiB. */
  public static final long DEFAULT_MEBIBYTES = 256;

  /** The smallest budget: below it a single store's memtables do not fit. */
  public static final long MINIMUM_BYTES = 4L * 1024 * 1024;

  private static final double WRITE_BUFFER_SHARE = 0.25;
  // Index and filter blocks go to the high-priority pool so that data blocks are evicted first.
  private static final double HIGH_PRIORITY_POOL_RATIO = 0.1;
  private static final long MAX_MEMTABLE_BYTES = 16L * 1024 * 1024;

  static {
    RocksDB.loadLibrary();
  }

  private final long totalBytes;
  private final long writeBufferBytes;
  private final LRUCache cache;
  private final WriteBufferManager writeBufferManager;

  private RocksDbMemoryBudget(long totalBytes) {
    this.totalBytes = totalBytes;
    this.writeBufferBytes = (long) (totalBytes * WRITE_BUFFER_SHARE);
    this.cache = new LRUCache(totalBytes, -1, true, HIGH_PRIORITY_POOL_RATIO);
    this.writeBufferManager = new WriteBufferManager(writeBufferBytes, cache);
  }

  /**
   * A budget of {@code totalBytes}, a quarter of which may be taken by memtables.
   *
   * @throws IllegalArgumentException if {@code totalBytes} is below {@link #MINIMUM_BYTES}
   */
  public static RocksDbMemoryBudget ofBytes(long totalBytes) {
    if (totalBytes < MINIMUM_BYTES) {
      throw new IllegalArgumentException(
          "Cannot create a RocksDB memory budget of "
              + totalBytes
              + " bytes: the minimum is "
              + MINIMUM_BYTES
              + " bytes (4 MiB)");
    }
    return new RocksDbMemoryBudget(totalBytes);
  }

  /** A budget of {@code mebibytes} MiB; see {@link #ofBytes(long)}. */
  public static RocksDbMemoryBudget ofMebibytes(long mebibytes) {
    return ofBytes(Math.multiplyExact(mebibytes, 1024L * 1024));
  }

  /**
   * The budget shared by every store of the process that is given no other: {@value
   * #DEFAULT_MEBIBYTES} MiB, created on first use and never closed.
   */
  public static RocksDbMemoryBudget processDefault() {
    return ProcessDefault.BUDGET;
  }

  /**
   * The budget held in a Kafka Streams configuration under {@link #CONFIG}, or {@link
   * #processDefault()} if there is none.
   *
   * @throws ConfigException if the entry holds something other than a budget
   */
  public static RocksDbMemoryBudget from(Map<String, ?> streamsConfig) {
    @Nullable Object value = streamsConfig.get(CONFIG);
    if (value == null) {
      return processDefault();
    }
    if (!(value instanceof RocksDbMemoryBudget)) {
      throw new ConfigException(
          CONFIG,
          value,
          "must be a "
              + RocksDbMemoryBudget.class.getName()
              + " instance, not a "
              + value.getClass().getName());
    }
    return (RocksDbMemoryBudget) value;
  }

  /** The whole budget in bytes: the capacity of the shared block cache. */
  public long totalBytes() {
    return totalBytes;
  }

  /** The part of the budget that memtables may take, in bytes. */
  public long writeBufferBytes() {
    return writeBufferBytes;
  }

  /**
   * The bytes of the budget in use now, as RocksDB reports them: cached blocks, index and filter
   * blocks, and the memtables charged to the cache.
   */
  public long usage() {
    return cache.getUsage();
  }

  /** The bytes of the budget pinned now (in use by readers or memtables, not evictable). */
  public long pinnedUsage() {
    return cache.getPinnedUsage();
  }

  /** The size of one memtable of one store. */
  long memtableBytes() {
    return Math.min(MAX_MEMTABLE_BYTES, Math.max(1024 * 1024, writeBufferBytes / 4));
  }

  Cache cache() {
    return cache;
  }

  WriteBufferManager writeBufferManager() {
    return writeBufferManager;
  }

  /** Releases the native cache; only after every store that uses this budget is closed. */
  @Override
  public void close() {
    if (this == ProcessDefault.BUDGET) {
      throw new IllegalStateException(
          "The process-wide default RocksDB memory budget is never closed");
    }
    writeBufferManager.close();
    cache.close();
  }

  @Override
  public String toString() {
    return "RocksDbMemoryBudget[total="
        + totalBytes
        + " B, writeBuffers="
        + writeBufferBytes
        + " B]";
  }

  private static final class ProcessDefault {
    static final RocksDbMemoryBudget BUDGET = ofMebibytes(DEFAULT_MEBIBYTES);
  }
}
