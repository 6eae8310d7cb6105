package dev.kappa.benchmarks.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kappa.benchmarks.internal.JsonHttp;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/** The versions of a job as an instance of the service lists them ({@code GET /jobs/{job}}). */
final class VersionStates {

  private final JsonHttp http;
  private final String job;

  VersionStates(JsonHttp http, String job) {
    this.http = http;
    this.job = job;
  }

  /** The registry status of {@code version} as the instance at {@code url} sees it, or "absent". */
  String status(URI url, int version) {
    JsonNode listed = listed(url, version);
    return listed == null ? "absent" : listed.get("status").asText();
  }

  /** Whether {@code version} runs on the instance at {@code url}. */
  boolean runsHere(URI url, int version) {
    JsonNode listed = listed(url, version);
    return listed != null && "RUNNING".equals(listed.path("stateHere").asText());
  }

  private @Nullable JsonNode listed(URI url, int version) {
    for (JsonNode listed : http.get(url, "/jobs/" + job).json().get("versions")) {
      if (listed.get("version").asInt() == version) {
        return listed;
      }
    }
    return null;
  }
}
