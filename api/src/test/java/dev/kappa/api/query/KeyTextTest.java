package dev.kappa.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.serde.Codec;
import dev.kappa.topology.ServingTable;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyTextTest {

  record Place(String site, int floor) {}

  @Test
  void shouldReadKeysOfTheTypeTheTableDeclares() {
    assertThat(KeyText.parse(table(Codec.string()), " n-01 ")).isEqualTo(" n-01 ");
    assertThat(KeyText.parse(table(Codec.integers()), "42")).isEqualTo(42);
    assertThat(KeyText.parse(table(Codec.longs()), "-7")).isEqualTo(-7L);
    UUID id = UUID.randomUUID();
    assertThat(KeyText.parse(table(Codec.json(UUID.class)), id.toString())).isEqualTo(id);
    assertThat(KeyText.parse(table(Codec.json(Instant.class)), "2026-11-23T10:00:00Z"))
        .isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(KeyText.parse(table(Codec.json(Place.class)), "{\"site\":\"s-1\",\"floor\":3}"))
        .isEqualTo(new Place("s-1", 3));
  }

  @Test
  void shouldSayWhatToSendForAKeyOfTheWrongForm() {
    assertThatThrownBy(() -> KeyText.parse(table(Codec.integers()), "first"))
        .isInstanceOf(BadQueryException.class)
        .hasMessageContaining("Bad key 'first' for table 'things'")
        .hasMessageContaining("its keys are Integer")
        .hasMessageContaining("Send a Integer in its usual text form");
    assertThatThrownBy(() -> KeyText.parse(table(Codec.json(Place.class)), "s-1"))
        .isInstanceOf(BadQueryException.class)
        .hasMessageContaining("its keys are Place")
        .hasMessageContaining("not a JSON document of that type")
        .hasMessageContaining("Send the key as a JSON document");
    assertThatThrownBy(() -> KeyText.parse(table(Codec.json(Place.class)), "null"))
        .isInstanceOf(BadQueryException.class)
        .hasMessageContaining("it reads as null");
  }

  private static <K> ServingTable<K, String> table(Codec<K> keys) {
    return ServingTable.keyValue("things", keys, Codec.string());
  }
}
