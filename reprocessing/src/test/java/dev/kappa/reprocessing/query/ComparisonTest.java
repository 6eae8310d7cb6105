package dev.kappa.reprocessing.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.serde.Codec;
import dev.kappa.topology.ServingTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class ComparisonTest {

  private static final Comparator<String> BY_KEY = Comparator.naturalOrder();
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Instant T1 = T0.plusSeconds(60);

  private static TableRow<String> row(String key, Object value) {
    return new TableRow<>(key, null, null, value);
  }

  private static TableRow<String> window(String key, Instant start, Object value) {
    return new TableRow<>(key, start, start.plusSeconds(60), value);
  }

  @Test
  void shouldCountEqualDifferentAndOneSidedRowsAndListTheFirstDifferencesInKeyOrder() {
    Comparison<String> comparison =
        Comparison.of(
            List.of(row("d", 4), row("a", 1), row("b", 2), row("e", 5)),
            List.of(row("b", 2), row("a", 9), row("c", 3), row("e", 5)),
            Objects::equals,
            BY_KEY,
            10);

    assertThat(comparison.equal()).isEqualTo(2); // b, e
    assertThat(comparison.different()).isEqualTo(1); // a
    assertThat(comparison.onlyInFirst()).isEqualTo(1); // d
    assertThat(comparison.onlyInSecond()).isEqualTo(1); // c
    assertThat(comparison.differences())
        .containsExactly(
            new Difference<>(Difference.Kind.DIFFERENT, "a", null, null, 1, 9),
            new Difference<>(Difference.Kind.ONLY_IN_SECOND, "c", null, null, null, 3),
            new Difference<>(Difference.Kind.ONLY_IN_FIRST, "d", null, null, 4, null));
    assertThat(comparison.truncated()).isFalse();
    assertThat(comparison.differs()).isTrue();
  }

  @Test
  void shouldMatchWindowedRowsByKeyAndWindowStart() {
    Comparison<String> comparison =
        Comparison.of(
            List.of(window("a", T0, 1), window("a", T1, 2)),
            List.of(window("a", T1, 2), window("a", T0, 7)),
            Objects::equals,
            BY_KEY,
            10);

    assertThat(comparison.equal()).isEqualTo(1);
    assertThat(comparison.different()).isEqualTo(1);
    assertThat(comparison.differences())
        .containsExactly(new Difference<>(Difference.Kind.DIFFERENT, "a", T0, T1, 1, 7));
  }

  @Test
  void shouldKeepTheFirstDifferencesOfAllPartsWhenMerging() {
    List<Comparison<String>> parts = new ArrayList<>();
    parts.add(
        Comparison.of(List.of(row("c", 1), row("x", 1)), List.of(), Objects::equals, BY_KEY, 2));
    parts.add(
        Comparison.of(
            List.of(row("a", 1), row("b", 1), row("z", 1)),
            List.of(row("b", 1)),
            Objects::equals,
            BY_KEY,
            1));

    Comparison<String> merged = Comparison.merge(parts, BY_KEY, 2);

    assertThat(merged.onlyInFirst()).isEqualTo(4);
    assertThat(merged.equal()).isEqualTo(1);
    assertThat(merged.differences()).extracting(Difference::key).containsExactly("a", "c");
    assertThat(merged.truncated()).isTrue();
  }

  @Test
  void shouldCountWithoutDifferencesWhenTheLimitIsZero() {
    Comparison<String> comparison =
        Comparison.of(List.of(row("a", 1)), List.of(row("a", 2)), Objects::equals, BY_KEY, 0);
    assertThat(comparison.different()).isEqualTo(1);
    assertThat(comparison.differences()).isEmpty();
    assertThat(comparison.truncated()).isTrue();
    assertThatThrownBy(() -> Comparison.of(List.of(), List.of(), Objects::equals, BY_KEY, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  record Point(int x, int y) {}

  @Test
  void shouldCompareValuesByTheirSerializedBytesAndOrderKeysWithoutNaturalOrderByBytes() {
    ServingTable<Point, Point> v1 =
        ServingTable.keyValue("points", Codec.json(Point.class), Codec.json(Point.class));
    ServingTable<Point, Point> v2 =
        ServingTable.keyValue("points", Codec.json(Point.class), Codec.json(Point.class));
    assertThat(Comparison.sameSerializedValues(v1, v2).test(new Point(1, 2), new Point(1, 2)))
        .isTrue();
    assertThat(Comparison.sameSerializedValues(v1, v2).test(new Point(1, 2), new Point(2, 1)))
        .isFalse();

    Comparator<Point> order = Comparison.keyOrder(v1);
    // {"x":1,...} sorts before {"x":2,...} byte by byte.
    assertThat(order.compare(new Point(1, 9), new Point(2, 0))).isNegative();
    assertThat(order.compare(new Point(3, 3), new Point(3, 3))).isZero();
  }
}
