package dev.kappa.topology;

import dev.kappa.stores.StoreNames;
import java.util.Objects;
import java.util.regex.Pattern;

/** The rules for the names a job gives to its parts, with the same wording everywhere. */
final class Names {

  private static final Pattern JOB = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

  private Names() {}

  static String checkJob(String name) {
    Objects.requireNonNull(name, "job name");
    if (!JOB.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Invalid job name '"
              + name
              + "': use 1 to 100 lower-case letters, digits or '-', starting"
              + " with a letter or digit (it becomes part of application ids and topic names)");
    }
    return name;
  }

  static String checkName(String name, String what) {
    Objects.requireNonNull(name, what);
    if (!StoreNames.isValid(name)) {
      throw new IllegalArgumentException("Invalid " + what + " '" + name + "': " + StoreNames.RULE);
    }
    return name;
  }

  static String checkOperator(String name) {
    Objects.requireNonNull(name, "operator name");
    if (!StoreNames.isValid(name)) {
      throw new IllegalArgumentException(
          "Invalid operator name '"
              + name
              + "': "
              + StoreNames.RULE
              + " (operator names become part of store and internal topic names)");
    }
    return name;
  }
}
