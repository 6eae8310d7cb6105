package dev.kappa.stores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.serde.Codec;
import java.time.Duration;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.junit.jupiter.api.Test;

class PersistentStoresTest {

  private static final TimeWindows MINUTES =
      TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(30));

  @Test
  void shouldDeriveTheShortestRetentionFromTheWindows() {
    assertThat(PersistentStores.minimumRetention(MINUTES)).isEqualTo(Duration.ofSeconds(90));
    assertThat(
            PersistentStores.minimumRetention(
                SlidingWindows.ofTimeDifferenceAndGrace(
                    Duration.ofSeconds(10), Duration.ofSeconds(5))))
        .isEqualTo(Duration.ofSeconds(25));
    assertThat(
            PersistentStores.minimumRetention(
                SessionWindows.ofInactivityGapAndGrace(
                    Duration.ofMinutes(5), Duration.ofMinutes(1))))
        .isEqualTo(Duration.ofMinutes(6));
  }

  @Test
  void shouldRefuseARetentionShorterThanTheLifeOfAWindowAndSayWhatIsNeeded() {
    assertThatThrownBy(
            () ->
                PersistentStores.window(
                    "usage-by-node", Codec.string(), Codec.longs(), MINUTES, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot keep store 'usage-by-node' for PT1M: its windows need at least PT1M30S"
                + " (window size + grace). Pass a retention of at least PT1M30S.");
  }

  @Test
  void shouldRefuseANameThatCannotBecomeAChangelogTopic() {
    assertThatThrownBy(
            () -> PersistentStores.keyValue("usage by node", Codec.string(), Codec.longs()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid store name 'usage by node': use 1 to 200 letters");
  }

  @Test
  void shouldBuildPersistentLoggedStoresForTheProcessorApi() {
    StoreBuilder<TimestampedWindowStore<String, Long>> windows =
        PersistentStores.windowStoreBuilder(
            "w", Codec.string(), Codec.longs(), Duration.ofMinutes(1), Duration.ofHours(1));
    StoreBuilder<SessionStore<String, Long>> sessions =
        PersistentStores.sessionStoreBuilder(
            "s", Codec.string(), Codec.longs(), Duration.ofHours(1));

    assertThat(windows.name()).isEqualTo("w");
    assertThat(windows.loggingEnabled()).isTrue();
    assertThat(sessions.loggingEnabled()).isTrue();
    assertThat(windows.build().persistent()).isTrue();
    assertThat(sessions.build().persistent()).isTrue();
  }
}
