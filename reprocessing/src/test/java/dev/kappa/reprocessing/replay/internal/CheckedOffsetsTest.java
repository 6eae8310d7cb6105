package dev.kappa.reprocessing.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CheckedOffsetsTest {

  private static final TopicPartition A = new TopicPartition("readings", 0);
  private static final Map<TopicPartition, SharedPositions.Offsets> ANSWER =
      Map.of(A, new SharedPositions.Offsets(90, 95));

  private final AtomicLong nanos = new AtomicLong();
  private final CheckedOffsets offsets = new CheckedOffsets(Duration.ofSeconds(5), nanos::get);

  @Test
  void shouldKnowNothingBeforeTheFirstAnswer() {
    nanos.set(Duration.ofMinutes(1).toNanos());
    assertThat(offsets.current()).isEmpty();
  }

  @Test
  void shouldForgetAnAnswerOnceTheCheckThatAskedBeganLongerAgoThanTheBound() {
    long asked = offsets.checkBegins();
    // the answer came late: its age counts from the question
    nanos.addAndGet(Duration.ofSeconds(3).toNanos());
    offsets.answered(asked, ANSWER);
    assertThat(offsets.current()).isEqualTo(ANSWER);

    nanos.addAndGet(Duration.ofMillis(2_001).toNanos());
    assertThat(offsets.current()).as("the cluster has not answered for over 5 s").isEmpty();

    offsets.answered(offsets.checkBegins(), ANSWER);
    assertThat(offsets.current()).isEqualTo(ANSWER);
  }

  @Test
  void shouldRejectABoundThatIsNotPositive() {
    assertThatThrownBy(() -> new CheckedOffsets(Duration.ZERO, nanos::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
