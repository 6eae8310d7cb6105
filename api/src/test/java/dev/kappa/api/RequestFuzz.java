package dev.kappa.api;

import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Random requests to the query and admin endpoints, from a seed: paths with odd segments (empty,
 * percent-escapes of bytes that are not UTF-8, very long, unicode, numbers out of range), odd query
 * parameters (reversed and out-of-range times, limits and versions that are not numbers) and odd
 * admin bodies (not JSON, wrong types, huge), with and without credentials. The admin requests name
 * versions that the job does not have, so that no request changes what the tests beside it see.
 */
final class RequestFuzz {

  /** A request to send. */
  record Request(
      String method,
      String path,
      @Nullable String body,
      @Nullable String contentType,
      @Nullable String token) {
    @Override
    public String toString() {
      String shownBody =
          body == null || body.length() < 200 ? body : body.substring(0, 200) + "...";
      return method
          + " "
          + path
          + " body="
          + shownBody
          + " type="
          + contentType
          + " token="
          + token;
    }
  }

  /** Segments, URL-encoded as they go into a path. */
  private static final List<String> SEGMENTS =
      List.of(
          "meters",
          "totals-by-meter",
          "totals-by-floor",
          "totals-by-place",
          "totals-by-site",
          "m-001",
          "site-0",
          "",
          "%20",
          "%00",
          "%FF",
          "%C3%28",
          "%ED%A0%80",
          "%2F",
          "%25",
          "..",
          "%2E%2E",
          "%E2%98%83",
          "%F0%9F%98%80",
          "-1",
          "0",
          "2147483648",
          "99999999999999999999999",
          "1e3",
          "NaN",
          "%7B%22floor%22%3A1%7D",
          "%7B",
          "null",
          "a".repeat(5_000));

  private static final List<String> TIMES =
      List.of(
          "2026-11-23T10:00:00Z",
          "2026-11-23T11:00:00Z",
          "1970-01-01T00:00:00Z",
          "%2B1000000000-12-31T23:59:59.999999999Z",
          "-1000000000-01-01T00:00:00Z",
          "2026-13-45T00:00:00Z",
          "yesterday",
          "1700000000000",
          "",
          "%00");

  private static final List<String> NUMBERS =
      List.of("-1", "0", "1", "2", "3", "10000000000", "abc", "", "1.5", "%FF", "9".repeat(400));

  private static final List<String> BODIES =
      List.of(
          "",
          "{",
          "null",
          "[]",
          "\"text\"",
          "{\"version\":\"x\"}",
          "{\"version\":-1}",
          "{\"version\":2147483648}",
          "{\"version\":100,\"acceptPartialHistory\":\"yes\"}",
          "{\"version\":100,\"swapWhenCaughtUp\":true}",
          "{\"to\":null}",
          "{\"to\":\"two\"}",
          "{\"to\":100,\"force\":1}",
          "{\"to\":-5,\"force\":true}",
          "{\"unknown\":{\"deep\":[1,2,{}]}}",
          "\u0000\u0001\u00ff",
          "{\"version\":" + "9".repeat(10_000) + "}",
          "[" + "[".repeat(5_000) + "]".repeat(5_000) + "]",
          "{\"version\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");

  private static final List<String> TABLES =
      List.of("totals-by-meter", "totals-by-floor", "totals-by-place", "totals-by-site");

  private static final List<String> TABLE_PATHS =
      List.of("/keys/%s", "/keys/%s/windows", "/keys", "/windows");

  private final SplittableRandom random;

  RequestFuzz(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The next request. */
  Request next() {
    return random.nextInt(3) == 0 ? admin() : query();
  }

  private Request query() {
    String path =
        "/jobs/"
            + (random.nextBoolean() ? "meters" : segment())
            + "/tables/"
            + (random.nextBoolean() ? pick(TABLES) : segment())
            + TABLE_PATHS.get(random.nextInt(TABLE_PATHS.size())).replace("%s", segment());
    StringBuilder query = new StringBuilder();
    for (String name : List.of("from", "to", "version", "limit", "x")) {
      if (random.nextInt(3) == 0) {
        String value = name.equals("from") || name.equals("to") ? pick(TIMES) : pick(NUMBERS);
        query.append(query.length() == 0 ? "?" : "&").append(name).append('=').append(value);
      }
    }
    String method = random.nextInt(8) == 0 ? pick(List.of("POST", "DELETE", "PUT")) : "GET";
    return new Request(method, path + query, null, null, null);
  }

  private Request admin() {
    String job = random.nextInt(3) == 0 ? segment() : "meters";
    // Versions the job does not have: a request that fuzzing gets right must still change nothing.
    String version = random.nextBoolean() ? "100" : pick(List.of("-1", "0", "abc", "%FF", ""));
    String path =
        "/admin/jobs/"
            + job
            + pick(
                List.of(
                    "/versions",
                    "/versions/" + version + "/progress",
                    "/versions/" + version + "/retire",
                    "/swap"));
    String method = random.nextInt(6) == 0 ? "GET" : "POST";
    String body = random.nextInt(8) == 0 ? null : pick(BODIES);
    String contentType =
        random.nextInt(5) == 0
            ? pick(List.of("text/plain", "application/xml"))
            : "application/json";
    String token =
        random.nextInt(4) == 0
            ? pick(List.of("wrong", ServiceInstance.PEER_TOKEN))
            : ServiceInstance.ADMIN_TOKEN;
    return new Request(method, path, body, contentType, token);
  }

  private String segment() {
    return pick(SEGMENTS);
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
