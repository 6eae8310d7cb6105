// The service's HTTP API as the console calls it. Paths are relative to the console's own address
// (/console/), so the console works behind a proxy that serves the service under a prefix.

/** An answer other than 2xx; its message is the problem's detail, else its title, else the status. */
export class ProblemError extends Error {
  constructor(status, problem, text) {
    super(
      (problem && (problem.detail || problem.title)) ||
        `The service answered ${status}${text ? ": " + text.slice(0, 200) : ""}`,
    );
    this.status = status;
    this.problem = problem;
  }
}

/**
 * Calls the service. {@code token}, if given, goes only into the Authorization header of this call:
 * the console keeps it nowhere else.
 */
export async function call(method, path, { token, body } = {}) {
  const headers = { Accept: "application/json, application/problem+json" };
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(new URL("../" + path, document.baseURI), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
    credentials: "omit",
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (notJson) {
    json = null;
  }
  if (!response.ok) {
    throw new ProblemError(response.status, json, text);
  }
  return json;
}

/** A path segment, encoded. */
export function segment(text) {
  return encodeURIComponent(String(text));
}

/** A query string of the parameters that have a value. */
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== "") {
      search.set(name, String(value));
    }
  }
  const text = search.toString();
  return text ? "?" + text : "";
}
