package dev.kappa.reprocessing.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.reprocessing.JobVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeadLetterIdTest {

  @Test
  void shouldWriteTheTopicPartitionAndOffsetAsTheLogKey() {
    DeadLetterId id = new DeadLetterId("meters-v1-dead-letters", 0, 2);

    assertThat(id).hasToString("meters-v1-dead-letters-0@2");
  }

  @Test
  void shouldReadATopicWithDashesBackFromItsText() {
    DeadLetterId id = DeadLetterId.parse("network-usage-v12-dead-letters-3@1234567890123");

    assertThat(id).isEqualTo(new DeadLetterId("network-usage-v12-dead-letters", 3, 1234567890123L));
    assertThat(DeadLetterId.parse(id.toString())).isEqualTo(id);
  }

  @Test
  void shouldKeepTheLettersOfTwoVersionsApart() {
    String v1 = JobVersion.of("meters", 1).naming().deadLetterTopic();
    String v10 = JobVersion.of("meters", 10).naming().deadLetterTopic();

    assertThat(new DeadLetterId(v1, 0, 5).toString())
        .isNotEqualTo(new DeadLetterId(v10, 0, 5).toString());
    assertThat(DeadLetterId.parse("meters-v10-dead-letters-0@5").topic()).isEqualTo(v10);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "meters-v1-dead-letters", "meters@2", "-0@2", "t-x@2", "t-0@", "t-0@y"})
  void shouldRefuseTextThatIsNotAnId(String text) {
    assertThatThrownBy(() -> DeadLetterId.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Bad dead-letter id '"
                + text
                + "': send <topic>-<partition>@<offset>, such as meters-v1-dead-letters-0@2");
  }

  @Test
  void shouldRefuseANegativeOffsetWithTheFix() {
    assertThatThrownBy(() -> new DeadLetterId("meters-v1-dead-letters", 0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Bad offset -1 in 'meters-v1-dead-letters': offsets are numbered from 0");
  }

  @Test
  void shouldRefuseAPartitionBelowZeroInARequest() {
    assertThatThrownBy(() -> RedriveRequest.of(-1, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Bad partition -1 of a dead letter: partitions are numbered from 0");
  }
}
