/**
 * RocksDB-backed state stores: {@link dev.kappa.stores.RocksDbMemoryBudget} and {@link
 * dev.kappa.stores.BoundedMemoryRocksDbConfig} bound the memory of all stores of a process to one
 * budget, and {@link dev.kappa.stores.PersistentStores} builds persistent, logged stores with a
 * retention derived from their windows.
 */
@NullMarked
package dev.kappa.stores;

import org.jspecify.annotations.NullMarked;
