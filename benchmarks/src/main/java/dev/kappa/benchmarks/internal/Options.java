package dev.kappa.benchmarks.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The command lines of the serving benchmarks: options each followed by a value. */
public final class Options {

  private Options() {}

  /**
   * {@code args} as options and values.
   *
   * @throws IllegalArgumentException for an option not {@code known} or without a value
   */
  public static Map<String, String> parse(String[] args, Set<String> known) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!known.contains(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "Cannot read option '"
                + args[i]
                + "': the options are "
                + new TreeSet<>(known)
                + ", each followed by a value");
      }
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  /** Deletes {@code root} and everything under it: the state the instances left. */
  public static void deleteRecursively(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
      for (Path path : all) {
        Files.deleteIfExists(path);
      }
    }
  }
}
