package dev.kappa.stores;

import java.util.regex.Pattern;

/**
 * The rule for store names: a store's changelog topic is named after it, so the name must be usable
 * in a Kafka topic name.
 */
public final class StoreNames {

  /** The rule, in words, for error messages. */
  public static final String RULE = "use 1 to 200 letters, digits, '.', '_' or '-'";

  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

  private StoreNames() {}

  /** Whether {@code name} may name a store (and so a changelog topic). */
  public static boolean isValid(String name) {
    return LEGAL.matcher(name).matches();
  }
}
