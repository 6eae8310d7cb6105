package dev.kappa.reprocessing.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.reprocessing.replay.internal.Watermark.Position;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The watermark rules on their own: which partitions hold, and what a record may pass under. */
class WatermarkTest {

  private static final TopicPartition A = new TopicPartition("readings", 0);
  private static final TopicPartition B = new TopicPartition("readings", 1);
  private static final TopicPartition C = new TopicPartition("readings", 2);

  @Test
  void shouldBeTheSmallestFrontierOfThePartitionsNotAtTheirEnd() {
    Watermark.Low low =
        Watermark.of(
            Map.of(
                A, Position.of(5, 10, 300),
                B, Position.of(7, 9, 200),
                C, Position.of(4, 4, 100)));

    assertThat(low.value()).isEqualTo(200);
    assertThat(low.slowest()).isEqualTo(B);
    assertThat(low.excluding(B)).isEqualTo(300);
    assertThat(low.excluding(A)).isEqualTo(200);
    assertThat(low.excluding(C)).isEqualTo(200);
  }

  @Test
  void shouldHoldEverythingWhileAPartitionNotAtItsEndIsUnknown() {
    Watermark.Low low =
        Watermark.of(Map.of(A, Position.of(0, 10, 300), B, Position.of(0, 1, Watermark.UNKNOWN)));

    assertThat(low.value()).isEqualTo(Watermark.UNKNOWN);
    assertThat(low.excluding(A)).isEqualTo(Watermark.UNKNOWN);
    assertThat(Watermark.releases(0, Watermark.limit(low.excluding(A), 1000))).isFalse();
  }

  @Test
  void shouldLetEverythingPassWhenEveryPartitionIsAtItsEnd() {
    Watermark.Low low =
        Watermark.of(Map.of(A, Position.AT_END, B, Position.of(3, 3, Watermark.UNKNOWN)));

    assertThat(low.value()).isEqualTo(Watermark.NONE);
    assertThat(Watermark.limit(low.value(), 1000)).isEqualTo(Watermark.NONE);
    assertThat(Watermark.releases(Long.MAX_VALUE - 1, Watermark.NONE)).isTrue();
  }

  @Test
  void shouldNotLetOnePartitionHoldItselfBack() {
    Watermark.Low alone = Watermark.of(Map.of(A, Position.of(0, 10, 300), B, Position.AT_END));

    assertThat(alone.excluding(A)).isEqualTo(Watermark.NONE);
  }

  @Test
  void shouldBoundBothPartitionsThatShareTheSmallestFrontier() {
    Watermark.Low tie =
        Watermark.of(Map.of(A, Position.of(0, 10, 300), B, Position.of(0, 10, 300)));

    assertThat(tie.slowest()).isNull();
    assertThat(tie.excluding(A)).isEqualTo(300);
    assertThat(tie.excluding(B)).isEqualTo(300);
  }

  @Test
  void shouldReleaseUpToTheSkewAfterTheWatermarkAndRecordsWithoutTimeAlways() {
    long limit = Watermark.limit(1_000, 500);

    assertThat(Watermark.releases(1_500, limit)).isTrue();
    assertThat(Watermark.releases(1_501, limit)).isFalse();
    assertThat(Watermark.releases(RecordTimes.NO_TIME, Watermark.UNKNOWN)).isTrue();
    assertThat(Watermark.limit(Long.MAX_VALUE - 10, 500)).isEqualTo(Watermark.NONE);
  }
}
