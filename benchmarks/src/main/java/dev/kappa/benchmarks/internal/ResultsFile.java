package dev.kappa.benchmarks.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** The id of a run and the JSON file its figures go to, {@code <results>/<run>-<name>.json}. */
public final class ResultsFile {

  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON =
      new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultsFile() {}

  /** The id of a run started now: its UTC time, {@code yyyyMMdd-HHmmss}. */
  public static String runId() {
    return RUN_ID.format(Instant.now());
  }

  /** Writes {@code report} to {@code <results>/<runId>-<name>.json} and returns its path. */
  public static Path write(Path results, String runId, String name, Map<String, Object> report)
      throws IOException {
    Files.createDirectories(results);
    Path json = results.toAbsolutePath().resolve(runId + "-" + name + ".json");
    JSON.writeValue(json.toFile(), report);
    return json;
  }

  /** {@code value} as indented JSON, for the console. */
  public static String json(Object value) throws IOException {
    return JSON.writeValueAsString(value);
  }
}
