package dev.kappa.topology;

import dev.kappa.serde.Codec;
import java.util.Objects;

/**
 * An output of a job: a logical name and the codecs of its keys and values. The topic it is written
 * to is chosen by the job's {@link JobNaming}, so that each version of a job writes its own
 * outputs.
 *
 * <pre>{@code
 * static final Sink<String, AlarmWithUsage> ALARMS_WITH_USAGE =
 *     Sink.of("alarms-with-usage", Codec.string(), Codec.json(AlarmWithUsage.class));
 * }</pre>
 *
 * @param name the logical name; also the topic name of an unversioned job
 * @param keys the codec of the record keys
 * @param values the codec of the record values
 * @param <K> the key type
 * @param <V> the value type
 */
public record Sink<K, V>(String name, Codec<K> keys, Codec<V> values) {

  /** Checks the name and that the codecs are present. */
  public Sink {
    Names.checkName(name, "sink name");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(values, "values");
  }

  /** A sink called {@code name}. */
  public static <K, V> Sink<K, V> of(String name, Codec<K> keys, Codec<V> values) {
    return new Sink<>(name, keys, values);
  }
}
