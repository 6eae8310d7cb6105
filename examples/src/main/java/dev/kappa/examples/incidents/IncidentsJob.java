package dev.kappa.examples.incidents;

import dev.kappa.serde.Codec;
import dev.kappa.topology.JobStreamsBuilder;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Source;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.jspecify.annotations.Nullable;

/**
 * The correlated-streams job: a high wind at a weather station, and emergency calls from the
 * station's area within the 10 minutes after it, make an incident.
 *
 * <ul>
 *   <li>Wind readings ({@link #WIND_READINGS}, keyed by site) and calls ({@link #EMERGENCY_CALLS},
 *       keyed by call) with a missing field, a negative speed, or a key that is not their site or
 *       call go to the dead-letter topic {@code incidents-v<n>-dead-letters} with the reason.
 *   <li>Readings at or above the threshold ({@link #STRONG_GALE} in v1) are joined with the calls
 *       of the same area from the moment of the reading to 10 minutes after it, both ends included
 *       ({@link #AFTER_HIGH_WIND}).
 *   <li>{@link #INCIDENTS}: each incident by id ({@code <site>@<time of the reading>}), with the
 *       wind and its calls; a key-value serving table, queryable by id or by a range of ids.
 * </ul>
 *
 * <p>The two streams come from different systems and arrive out of order with each other. The join
 * holds both: a call that arrives before its reading is joined when the reading arrives, and a call
 * that arrives late is joined as long as the stream time of its task is within {@link #GRACE} of
 * the end of the reading's 10 minutes. Beyond that, the reading expires from the join once the
 * readings of the task move past it, and a call for it is not joined; Kafka Streams keeps such a
 * call in the join (it could still meet a reading of the 10 minutes before it) and neither drops
 * nor counts it.
 *
 * <p>Two versions share the name, sources and table: {@link #v1()} opens an incident at a strong
 * gale ({@value #STRONG_GALE} m/s, Beaufort 9); {@link #v2()} only at a storm ({@value #STORM} m/s,
 * Beaufort 10). {@code IncidentsJobTest} shows both, and the join's edges.
 */
public final class IncidentsJob {

  /** The job's name, the same in every version. */
  public static final String NAME = "incidents";

  public static final Source<String, WindReading> WIND_READINGS =
      Source.of("wind-readings", Codec.string(), Codec.json(WindReading.class))
          .withEventTime(WindReading::timestamp);
  public static final Source<String, EmergencyCall> EMERGENCY_CALLS =
      Source.of("emergency-calls", Codec.string(), Codec.json(EmergencyCall.class))
          .withEventTime(EmergencyCall::timestamp);

  /** Each incident by id ({@link Incident#idOf}). */
  public static final ServingTable<String, Incident> INCIDENTS =
      ServingTable.keyValue("incidents", Codec.string(), Codec.json(Incident.class));

  /** The wind speed of a strong gale (Beaufort 9), in m/s: v1's threshold. */
  public static final double STRONG_GALE = 20.8;

  /** The wind speed of a storm (Beaufort 10), in m/s: v2's threshold. */
  public static final double STORM = 24.5;

  /** How long after its window a call may arrive and still be joined. */
  public static final Duration GRACE = Duration.ofMinutes(5);

  /**
   * A call joins a reading of its area from the reading's time to 10 minutes after it, both
   * included; a call before the reading does not. (The join's left side is the reading: {@code
   * before} bounds calls earlier than it, {@code after} later ones.)
   */
  public static final JoinWindows AFTER_HIGH_WIND =
      JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMinutes(10), GRACE).before(Duration.ZERO);

  private IncidentsJob() {}

  /** Version 1: a strong gale and a call make an incident. */
  public static KappaJob v1() {
    return job(STRONG_GALE);
  }

  /**
   * Version 2, the change of logic: only a storm makes an incident. A strong gale brought calls
   * about fallen branches that the emergency services did not count as incidents.
   */
  public static KappaJob v2() {
    return job(STORM);
  }

  private static KappaJob job(double threshold) {
    return KappaJob.named(NAME)
        .source(WIND_READINGS)
        .source(EMERGENCY_CALLS)
        .servingTable(INCIDENTS)
        .topology(builder -> define(builder, threshold))
        .build();
  }

  private static void define(JobStreamsBuilder builder, double threshold) {
    Codec<String> ids = Codec.string();
    Codec<WindReading> winds = WIND_READINGS.values();
    Codec<EmergencyCall> calls = EMERGENCY_CALLS.values();

    // Only high winds take part: filtering before the repartition spares it the calm readings.
    KStream<String, WindReading> highWinds =
        builder
            .validate("valid-wind-readings", builder.stream(WIND_READINGS), IncidentsJob::problem)
            .filter((site, wind) -> wind.metresPerSecond() >= threshold, Named.as("high-winds"));
    // The area relates a site to a call: both sides are re-keyed by area and repartitioned, so
    // that the readings and calls of one area meet in one task.
    KStream<String, WindReading> highWindsByArea =
        highWinds
            .selectKey((site, wind) -> wind.area(), Named.as("key-high-winds-by-area"))
            .repartition(
                Repartitioned.<String, WindReading>as("high-winds-by-area")
                    .withKeySerde(ids.serde())
                    .withValueSerde(winds.serde()));
    KStream<String, EmergencyCall> callsByArea =
        builder
            .validate("valid-calls", builder.stream(EMERGENCY_CALLS), IncidentsJob::problem)
            .selectKey((callId, call) -> call.area(), Named.as("key-calls-by-area"))
            .repartition(
                Repartitioned.<String, EmergencyCall>as("calls-by-area")
                    .withKeySerde(ids.serde())
                    .withValueSerde(calls.serde()));

    // The join holds both sides for 10 minutes plus the grace, whichever arrives first, so that
    // disorder between the two streams within the grace does not lose an incident.
    KStream<String, CallAfterWind> callsAfterHighWind =
        builder.join(
            "calls-after-high-wind",
            highWindsByArea,
            callsByArea,
            AFTER_HIGH_WIND,
            CallAfterWind::new,
            StreamJoined.with(ids.serde(), winds.serde(), calls.serde()));

    // An incident is keyed by its reading, not by area: one repartition to the incident's task.
    builder.aggregate(
        callsAfterHighWind.groupBy(
            (area, pair) -> Incident.idOf(pair.wind()),
            Grouped.with(
                "calls-by-incident", ids.serde(), Codec.json(CallAfterWind.class).serde())),
        INCIDENTS,
        () -> Incident.NONE,
        (id, pair, incident) -> incident.with(pair));
  }

  /** Why a wind reading is invalid, or empty if it is valid. */
  public static Optional<String> problem(String site, WindReading wind) {
    if (isBlank(wind.siteId()) || isBlank(wind.area()) || wind.timestamp() == null) {
      return Optional.of("siteId, area and timestamp are required, got " + wind);
    }
    if (!wind.siteId().equals(site)) {
      return Optional.of(
          "the key '" + site + "' is not the reading's siteId '" + wind.siteId() + "'");
    }
    if (wind.metresPerSecond() == null || wind.metresPerSecond() < 0) {
      return Optional.of(
          "metresPerSecond must be present and not negative, was " + wind.metresPerSecond());
    }
    return Optional.empty();
  }

  /** Why a call is invalid, or empty if it is valid. */
  public static Optional<String> problem(String callId, EmergencyCall call) {
    if (isBlank(call.callId()) || isBlank(call.area()) || call.timestamp() == null) {
      return Optional.of("callId, area and timestamp are required, got " + call);
    }
    if (!call.callId().equals(callId)) {
      return Optional.of(
          "the key '" + callId + "' is not the call's callId '" + call.callId() + "'");
    }
    return Optional.empty();
  }

  private static boolean isBlank(@Nullable String value) {
    return value == null || value.isBlank();
  }
}
