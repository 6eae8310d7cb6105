package dev.kappa.examples.incidents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An incident: a high-wind reading at a site and the emergency calls from its area within the 10
 * minutes after it. Its id is {@link #idOf the site and the time of the reading}.
 *
 * @param siteId the weather station that measured the wind
 * @param area the area of the station and of the calls
 * @param metresPerSecond the wind speed
 * @param windTime when the wind was measured
 * @param callIds the calls, sorted
 */
public record Incident(
    @Nullable String siteId,
    @Nullable String area,
    double metresPerSecond,
    @Nullable Instant windTime,
    List<String> callIds) {

  /** No incident yet: where the aggregation of each incident starts. */
  public static final Incident NONE = new Incident(null, null, 0, null, List.of());

  /** Copies the calls. */
  public Incident {
    callIds = List.copyOf(callIds);
  }

  /** The id of the incident that {@code wind} starts: {@code <site>@<time>}. */
  public static String idOf(WindReading wind) {
    return wind.siteId() + "@" + wind.timestamp();
  }

  /**
   * This incident with the call of {@code pair}, and the reading of {@code pair}; each call once,
   * sorted, so that the result does not depend on the order in which calls arrive.
   */
  public Incident with(CallAfterWind pair) {
    WindReading wind = pair.wind();
    List<String> calls = new ArrayList<>(callIds);
    String call = pair.call().callId();
    if (!calls.contains(call)) {
      calls.add(call);
      calls.sort(null);
    }
    return new Incident(
        wind.siteId(), wind.area(), wind.metresPerSecond(), wind.timestamp(), calls);
  }
}
