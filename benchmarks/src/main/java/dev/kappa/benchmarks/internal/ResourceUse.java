package dev.kappa.benchmarks.internal;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The clock and the CPU time used so far by this process and, when it is a local process, by the
 * broker: the two ends of a measured span are two of these.
 *
 * @param nanoTime {@link System#nanoTime()}
 * @param processCpu CPU time of this process (all its threads, the JIT and the GC included)
 * @param brokerCpu CPU time of the broker process, or null when it is not known
 */
record ResourceUse(long nanoTime, Duration processCpu, @Nullable Duration brokerCpu) {

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  static ResourceUse now(Optional<ProcessHandle> broker) {
    long now = System.nanoTime();
    Duration cpu = Duration.ofNanos(OS.getProcessCpuTime());
    Duration brokerCpu = broker.flatMap(process -> process.info().totalCpuDuration()).orElse(null);
    return new ResourceUse(now, cpu, brokerCpu);
  }

  Duration since(ResourceUse start) {
    return Duration.ofNanos(nanoTime - start.nanoTime);
  }

  Duration cpuSince(ResourceUse start) {
    return processCpu.minus(start.processCpu);
  }

  @Nullable Duration brokerCpuSince(ResourceUse start) {
    if (brokerCpu == null || start.brokerCpu == null) {
      return null;
    }
    return brokerCpu.minus(start.brokerCpu);
  }
}
