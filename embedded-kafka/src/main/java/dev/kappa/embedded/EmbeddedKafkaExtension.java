package dev.kappa.embedded;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that starts one {@link EmbeddedKafka} node before the first test of a class
 * and stops it after the last one, so that the tests of a class share a broker.
 *
 * <pre>{@code
 * class UsageJobIT {
 *     @RegisterExtension
 *     static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();
 *
 *     @Test
 *     void shouldCountUsage() {
 *         kafka.get().createTopic("usage-events", 3, Map.of());
 *         String bootstrap = kafka.get().bootstrapServers();
 *         // ...
 *     }
 * }
 * }</pre>
 *
 * <p>Register it on a {@code static} field: on an instance field it would start a broker per test.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

  private final Map<String, String> brokerOverrides;
  private @Nullable EmbeddedKafka kafka;

  /** A broker with the default settings of {@link EmbeddedKafka#start()}. */
  public EmbeddedKafkaExtension() {
    this(Map.of());
  }

  /** A broker with {@code brokerOverrides} applied over the defaults. */
  public EmbeddedKafkaExtension(Map<String, String> brokerOverrides) {
    this.brokerOverrides = Map.copyOf(brokerOverrides);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    kafka = EmbeddedKafka.start(brokerOverrides);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
  }

  /**
   * The running broker.
   *
   * @throws IllegalStateException outside the tests of the class that registered the extension
   */
  public EmbeddedKafka get() {
    EmbeddedKafka running = kafka;
    if (running == null) {
      throw new IllegalStateException(
          "Embedded Kafka is not running: register EmbeddedKafkaExtension on a static field with"
              + " @RegisterExtension and use it from the tests of that class");
    }
    return running;
  }

  /** Shorthand for {@code get().bootstrapServers()}. */
  public String bootstrapServers() {
    return get().bootstrapServers();
  }
}
