package dev.kappa.benchmarks.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peak memory of this process over a run: the resident set's high-water mark ({@code VmHWM}),
 * which Linux resets when {@code 5} is written to {@code /proc/self/clear_refs}, and the peak of
 * the used heap, which the JVM's memory pools reset.
 */
final class PeakMemory {

  private static final Logger log = LoggerFactory.getLogger(PeakMemory.class);
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
  private static final long MEBIBYTE = 1024 * 1024;

  private PeakMemory() {}

  /** Starts a new peak at the current use. */
  static void reset() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    try {
      Files.writeString(CLEAR_REFS, "5");
    } catch (IOException | UnsupportedOperationException e) {
      // Not Linux, or not allowed: the peak is then the process's peak since it started.
      log.debug("Cannot reset the resident set's peak: {}", e.toString());
    }
  }

  /** The peak resident set since the last reset, in MiB; -1 where {@code /proc} is missing. */
  static long residentMebibytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmHWM:")) {
          long kibibytes = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return kibibytes * 1024 / MEBIBYTE;
        }
      }
    } catch (IOException e) {
      log.debug("Cannot read {}: {}", STATUS, e.toString());
    }
    return -1;
  }

  /** The sum of the peaks of the heap pools since the last reset, in MiB. */
  static long heapMebibytes() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes / MEBIBYTE;
  }
}
