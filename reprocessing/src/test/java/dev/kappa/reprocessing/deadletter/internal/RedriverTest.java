package dev.kappa.reprocessing.deadletter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.junit.jupiter.api.Test;

class RedriverTest {

  @Test
  void shouldStartAgainWhenAnotherCallerFencedThisOneHoweverTheErrorIsWrapped() {
    assertThat(
            Redriver.startsAgain(
                new KafkaException("commit failed", new ProducerFencedException("fenced"))))
        .isTrue();
    assertThat(Redriver.startsAgain(new InvalidProducerEpochException("old epoch"))).isTrue();
    assertThat(Redriver.startsAgain(new TransactionAbortableException("abort it"))).isTrue();
  }

  @Test
  void shouldNotStartAgainForAnErrorThatANewProducerWouldMeetToo() {
    assertThat(Redriver.startsAgain(new RecordTooLargeException("too large"))).isFalse();
    assertThat(Redriver.startsAgain(new KafkaException("no answer", new TimeoutException("30 s"))))
        .isFalse();
  }
}
