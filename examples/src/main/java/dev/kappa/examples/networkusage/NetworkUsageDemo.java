package dev.kappa.examples.networkusage;

import dev.kappa.examples.demo.KappaDemo;

/**
 * The network-usage demo: the reprocessing loop of the {@link NetworkUsageJob} on generated
 * readings, served over HTTP by two instances of the Kappa service in this JVM. It is {@code
 * ./demo} with its default {@code --job network-usage}; {@link KappaDemo} describes the loop and
 * the options.
 *
 * <pre>
 * ./demo                     # the same as ./demo --job network-usage
 * </pre>
 */
public final class NetworkUsageDemo {

  private NetworkUsageDemo() {}

  /** Runs {@link KappaDemo} for the network-usage job; any {@code --job} in {@code args} wins. */
  public static void main(String[] args) throws Exception {
    String[] withJob = new String[args.length + 2];
    withJob[0] = "--job";
    withJob[1] = NetworkUsageJob.NAME;
    System.arraycopy(args, 0, withJob, 2, args.length);
    KappaDemo.main(withJob);
  }
}
