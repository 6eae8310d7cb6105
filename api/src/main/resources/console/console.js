// The Kappa console: jobs and versions, replay progress, the comparison of two versions, each
// version's topology, dead letters, and the admin operations of the reprocessing loop. It calls
// the service's HTTP API from the browser. The admin token is read from its field for each call
// and kept nowhere else.

import { call, ProblemError, query, segment } from "./api.js";
import { drawTopology } from "./topology.js";

const FAST = 1000; // ms between refreshes while a version replays
const SLOW = 5000; // ms between refreshes otherwise, so that another admin's swap shows up

const $ = (id) => document.getElementById(id);
const numbers = new Intl.NumberFormat("en");

let job = null; // the job shown
let view = null; // its JobView
let shownView = ""; // the JSON of the view the versions table shows
let timer = null;
let generation = 0; // of refreshes: only the latest one renders
let errorSource = null; // "poll" if the error shown is a failed refresh, "action" if an action's
const topologies = new Map(); // "job/version" -> topology

function token() {
  return $("token").value.trim();
}

/** Says what happened in the polite live region, and clears an error shown before. */
function say(message) {
  $("status").textContent = message;
  showError("", null);
}

/** Shows an error (a problem's detail) of an action in the alert region. */
function fail(error) {
  $("status").textContent = "";
  showError(error.message || String(error), "action");
}

/** Sets the alert region, only if its text changes, so that a screen reader hears it once. */
function showError(message, source) {
  if ($("error").textContent !== message) {
    $("error").textContent = message;
  }
  errorSource = message ? source : null;
}

/**
 * A read, with the token if one is typed: reads are open by default, and need credentials when the
 * service sets kappa.security.open-reads to false.
 */
function read(path) {
  return call("GET", path, { token: token() });
}

/** An admin call: refused here without a token, its problem shown if the service refuses. */
async function admin(what, method, path, body) {
  if (!token()) {
    fail(new Error(`Type the admin token to ${what}.`));
    $("token").focus();
    return null;
  }
  $("status").textContent = `${what[0].toUpperCase()}${what.slice(1)}…`;
  try {
    return await call(method, path, { token: token(), body });
  } catch (error) {
    fail(error);
    return null;
  }
}

function jobPath() {
  return `jobs/${segment(job)}`;
}

function adminPath() {
  return `admin/jobs/${segment(job)}`;
}

// ---- refreshing -------------------------------------------------------------------------------

async function refresh() {
  clearTimeout(timer);
  const mine = ++generation;
  let fast = false;
  try {
    const jobs = await read("jobs");
    if (mine !== generation) {
      return;
    }
    renderJobChoice(jobs);
    view = jobs.find((each) => each.job === job) ?? null;
    if (view) {
      renderVersions();
      fillVersionChoices();
      fast = await renderProgress(mine);
      if (!$("topology").hasChildNodes()) {
        await showTopology();
      }
    }
    if (errorSource === "poll") {
      showError("", null);
    }
  } catch (error) {
    if (mine === generation && errorSource !== "action") {
      showError(`Cannot refresh: ${error.message}`, "poll");
    }
  }
  if (mine === generation) {
    timer = setTimeout(refresh, fast ? FAST : SLOW);
  }
}

function renderJobChoice(jobs) {
  const select = $("job");
  const names = jobs.map((each) => each.job);
  if (job === null || !names.includes(job)) {
    job = names[0] ?? null;
  }
  if ([...select.options].map((option) => option.value).join() !== names.join()) {
    select.replaceChildren(...names.map((name) => option(name, name)));
  }
  select.value = job ?? "";
  if (job === null) {
    $("active-version").textContent = "";
    say("This service hosts no jobs.");
  }
}

function renderVersions() {
  const json = JSON.stringify(view);
  if (json === shownView) {
    return;
  }
  shownView = json;
  $("active-version").textContent =
    view.active === null ? "No active version" : `Active: v${view.active}`;
  $("instance").textContent = `as instance ${view.instance} sees it`;
  const focused = document.activeElement?.dataset?.focus;
  const rows = [...view.versions]
    .sort((a, b) => a.version - b.version)
    .map((version) => versionRow(version));
  $("versions").tBodies[0].replaceChildren(...rows);
  if (focused) {
    document.querySelector(`[data-focus="${focused}"]`)?.focus();
  }
  const start = $("start-version");
  if (!start.dataset.touched) {
    start.value = Math.max(0, ...view.versions.map((version) => version.version)) + 1;
  }
}

function versionRow(version) {
  const row = document.createElement("tr");
  row.dataset.version = version.version;
  const n = version.version;
  const role =
    view.active === n ? "active" : view.previous === n ? "previous (rollback target)" : "";
  const late =
    version.lateDropped === null
      ? `${numbers.format(version.lateDroppedWhileCatchingUp)} while catching up`
      : `${numbers.format(version.lateDropped)} (${numbers.format(
          version.lateDroppedWhileCatchingUp,
        )} while catching up)`;
  row.append(
    cell(`v${n}`, "th"),
    cell(version.status.toLowerCase().replace("_", " ")),
    cell(role),
    cell(version.applicationId, "td", true),
    cell(version.stateHere ?? "not running here"),
    cell(late),
    cell(version.tables.map((table) => table.name).join(", ")),
  );
  row.cells[0].scope = "row";
  row.cells[2].dataset.role = role;
  const actions = document.createElement("td");
  if (version.status !== "RETIRED" && view.active !== n) {
    actions.append(
      button(`Swap to v${n}`, `swap-${n}`, "secondary", () => swap(n)),
      " ",
      button(`Retire v${n}`, `retire-${n}`, "danger", () => retire(n)),
    );
  }
  row.append(actions);
  return row;
}

/**
 * The replay progress of each version that is not retired; true while one replays. The progress
 * endpoint is for admins: without a token the section says so.
 */
async function renderProgress(mine) {
  const versions = view.versions.filter((version) => version.status !== "RETIRED");
  const replaying = versions.some((version) => version.status === "REPLAYING");
  const container = $("progress");
  if (!token()) {
    $("progress-note").textContent = replaying
      ? "A version is replaying. Type the admin token above to follow its progress."
      : "Type the admin token above to see the replay progress of each version.";
    container.replaceChildren();
    return replaying;
  }
  const answers = await Promise.allSettled(
    versions.map((version) =>
      read(`${adminPath()}/versions/${version.version}/progress`),
    ),
  );
  if (mine !== generation) {
    return replaying;
  }
  $("progress-note").textContent = "";
  const keep = new Set();
  let moving = replaying;
  versions.forEach((version, index) => {
    const answer = answers[index];
    const id = `replay-v${version.version}`;
    keep.add(id);
    let block = $(id);
    if (!block) {
      block = replayBlock(version.version);
      const after = [...container.children].find(
        (other) => Number(other.dataset.version) > version.version,
      );
      container.insertBefore(block, after ?? null);
    }
    if (answer.status === "fulfilled") {
      updateBar(block, answer.value);
      moving = moving || !answer.value.caughtUp;
    } else {
      const error = answer.reason;
      if (error instanceof ProblemError && (error.status === 401 || error.status === 403)) {
        $("progress-note").textContent = `The admin token was refused: ${error.message}`;
      }
      block.querySelector(".progress-text").textContent = error.message;
    }
  });
  for (const block of [...container.children]) {
    if (!keep.has(block.id)) {
      block.remove();
    }
  }
  return moving;
}

function replayBlock(version) {
  const block = document.createElement("div");
  block.className = "replay";
  block.id = `replay-v${version}`;
  block.dataset.version = version;
  const label = document.createElement("label");
  label.htmlFor = `progress-v${version}`;
  label.textContent = `v${version} replay`;
  const bar = document.createElement("progress");
  bar.id = `progress-v${version}`;
  bar.setAttribute("aria-describedby", `progress-text-v${version}`);
  const text = document.createElement("p");
  text.className = "help progress-text";
  text.id = `progress-text-v${version}`;
  block.append(label, bar, text);
  return block;
}

function updateBar(block, progress) {
  const bar = block.querySelector("progress");
  const max = Math.max(progress.target, 1);
  bar.max = max;
  bar.value = progress.target === 0 ? max : Math.min(progress.replayed, max);
  const percent = Math.floor(progress.fraction * 100);
  bar.textContent = `${percent} %`;
  block.querySelector("label").textContent =
    `v${progress.version} replay: ${progress.caughtUp ? "caught up" : "replaying"}`;
  const parts = [
    `${numbers.format(progress.replayed)} of ${numbers.format(progress.target)} records (${percent} %)`,
    `${numbers.format(Math.round(progress.recordsPerSecond))} records/s`,
    progress.caughtUp
      ? "done"
      : progress.secondsLeft === null
        ? "time left unknown"
        : `about ${numbers.format(Math.max(1, progress.secondsLeft))} s left`,
    `${numbers.format(progress.lateDropped)} late drops`,
  ];
  const steps = Object.entries(progress.lateDroppedByStep ?? {}).filter(([, count]) => count > 0);
  if (steps.length) {
    parts[3] += ` (${steps.map(([step, count]) => `${step}: ${numbers.format(count)}`).join(", ")})`;
  }
  block.querySelector(".progress-text").textContent = parts.join(" · ");
  block.dataset.caughtUp = progress.caughtUp;
}

/** Fills the version choices of the forms, keeping what the user chose. */
function fillVersionChoices() {
  const live = view.versions
    .filter((version) => version.status !== "RETIRED")
    .map((version) => version.version)
    .sort((a, b) => a - b);
  const all = view.versions.map((version) => version.version).sort((a, b) => a - b);
  const active = view.active ?? live[0];
  const other = [...live].reverse().find((version) => version !== active) ?? active;
  fillChoice($("compare-first"), live, active);
  fillChoice($("compare-second"), live, other);
  fillChoice($("topology-version"), all, active);
  fillChoice($("dead-letters-version"), live, active);
  const tables = [
    ...new Set(view.versions.flatMap((version) => version.tables.map((table) => table.name))),
  ].sort();
  const select = $("compare-table");
  const values = ["", ...tables];
  if ([...select.options].map((each) => each.value).join() !== values.join()) {
    const chosen = select.value;
    select.replaceChildren(
      option("", "All tables"),
      ...tables.map((table) => option(table, table)),
    );
    select.value = values.includes(chosen) ? chosen : "";
  }
}

function fillChoice(select, versions, preferred) {
  const values = versions.map(String);
  const chosen = select.dataset.chosen && values.includes(select.value) ? select.value : null;
  if ([...select.options].map((each) => each.value).join() !== values.join()) {
    select.replaceChildren(...versions.map((version) => option(String(version), `v${version}`)));
  }
  select.value = chosen ?? (preferred === undefined ? values[0] ?? "" : String(preferred));
}

// ---- admin operations ------------------------------------------------------------------------

async function start() {
  const number = Number($("start-version").value);
  if (!Number.isInteger(number) || number < 1) {
    fail(new Error("Type the number of the version to start: 1 or more."));
    $("start-version").focus();
    return;
  }
  const plan = await admin(`start v${number}`, "POST", `${adminPath()}/versions`, {
    version: number,
  });
  if (plan) {
    delete $("start-version").dataset.touched;
    say(
      `Started v${plan.version} (${plan.applicationId}): it replays ${numbers.format(
        plan.records,
      )} records.`,
    );
    refresh();
  }
}

async function swap(number) {
  const answer = await admin(`swap to v${number}`, "POST", `${adminPath()}/swap`, { to: number });
  if (answer) {
    say(`Swapped: v${answer.active} is active.`);
    refresh();
  }
}

async function rollback() {
  const answer = await admin("roll back", "POST", `${adminPath()}/rollback`);
  if (answer) {
    say(`Rolled back: v${answer.active} is active.`);
    refresh();
  }
}

async function retire(number) {
  if (
    !window.confirm(
      `Retire v${number} of ${job}? It stops everywhere and its topics, consumer group and state are deleted.`,
    )
  ) {
    return;
  }
  const answer = await admin(`retire v${number}`, "POST", `${adminPath()}/versions/${number}/retire`);
  if (answer) {
    say(
      `Retired v${answer.version}: deleted group ${answer.deletedGroup} and ${answer.deletedTopics.length} topics.`,
    );
    refresh();
  }
}

// ---- topology -------------------------------------------------------------------------------

async function showTopology() {
  const version = $("topology-version").value;
  if (!job || !version) {
    return;
  }
  const key = `${job}/${version}`;
  try {
    if (!topologies.has(key)) {
      topologies.set(key, await read(`${jobPath()}/versions/${version}/topology`));
    }
    drawTopology($("topology"), topologies.get(key));
  } catch (error) {
    fail(error);
  }
}

// ---- comparison -----------------------------------------------------------------------------

async function compare(event) {
  event.preventDefault();
  const first = $("compare-first").value;
  const second = $("compare-second").value;
  if (!first || !second || first === second) {
    fail(new Error("Choose two different versions to compare."));
    return;
  }
  const limit = $("compare-limit").value;
  const parameters = {
    versions: `${first},${second}`,
    table: $("compare-table").value,
    from: instant($("compare-from").value),
    to: instant($("compare-to").value),
    keyFrom: $("compare-key-from").value,
    keyTo: $("compare-key-to").value,
    limit,
  };
  $("status").textContent = `Comparing v${first} and v${second}…`;
  try {
    const result = await read(`${jobPath()}/compare${query(parameters)}`);
    renderComparison(result);
    say(`Compared v${first} and v${second}: ${result.tables.length} table(s).`);
  } catch (error) {
    fail(error);
  }
}

/** An ISO instant to the second. */
function seconds(instant) {
  return instant.replace(/\.\d+Z$/, "Z");
}

/** The instant of a datetime-local value, read as the browser's local time; empty if none. */
function instant(local) {
  return local ? new Date(local).toISOString() : "";
}

function renderComparison(result) {
  const [first, second] = result.versions;
  const container = $("comparison");
  const intro = document.createElement("p");
  intro.className = "help";
  const windowed = result.tables.some((table) => table.shape !== "KEY_VALUE");
  intro.textContent =
    `v${first} and v${second} of ${result.job}` +
    (windowed ? `; windows that start from ${seconds(result.from)} to ${seconds(result.to)}` : "") +
    `; answered by ${result.instances.join(", ")}.`;
  container.replaceChildren(
    intro,
    ...result.tables.map((table) => comparedTable(table, first, second)),
  );
}

function comparedTable(table, first, second) {
  const section = document.createElement("section");
  section.className = "compared";
  section.dataset.table = table.table;
  const heading = document.createElement("h3");
  heading.textContent = `${table.table} `;
  const shape = document.createElement("span");
  shape.className = "help";
  shape.textContent = table.shape.toLowerCase().replace("_", "-");
  heading.append(shape);
  const counts = document.createElement("ul");
  counts.className = "counts";
  for (const [name, label] of [
    ["equal", "Equal"],
    ["different", "Different"],
    ["onlyInFirst", `Only in v${first}`],
    ["onlyInSecond", `Only in v${second}`],
  ]) {
    const item = document.createElement("li");
    const value = document.createElement("strong");
    value.dataset.count = name;
    value.textContent = numbers.format(table[name]);
    item.append(`${label}: `, value);
    counts.append(item);
  }
  section.append(heading, counts);
  const notes = [];
  if (table.note) {
    notes.push(table.note);
  } else if (!table.complete) {
    notes.push("Not compared as a whole.");
  }
  if (table.truncated) {
    notes.push(`More differences than shown: these are the first ${table.differences.length}.`);
  }
  if (notes.length) {
    const note = document.createElement("p");
    note.className = "help";
    note.textContent = notes.join(" ");
    section.append(note);
  }
  if (table.differences.length) {
    const windowed = table.differences.some((difference) => difference.start);
    const grid = document.createElement("table");
    const caption = document.createElement("caption");
    caption.className = "visually-hidden";
    caption.textContent = `First differences of ${table.table} between v${first} and v${second}`;
    const head = document.createElement("tr");
    for (const title of [
      "Key",
      ...(windowed ? ["Window"] : []),
      "Difference",
      `v${first}`,
      `v${second}`,
    ]) {
      const th = cell(title, "th");
      th.scope = "col";
      head.append(th);
    }
    const thead = document.createElement("thead");
    thead.append(head);
    const body = document.createElement("tbody");
    for (const difference of table.differences) {
      const row = document.createElement("tr");
      // A key is JSON: a string, a number, or an object for a record key.
      const key =
        typeof difference.key === "string" ? difference.key : JSON.stringify(difference.key);
      row.dataset.key = key;
      row.dataset.kind = difference.kind;
      row.append(cell(key, "td", true));
      if (windowed) {
        row.append(cell(difference.start ? `${difference.start} – ${difference.end}` : ""));
      }
      row.append(
        cell(kindText(difference.kind, first, second)),
        valueCell(difference.first, "first"),
        valueCell(difference.second, "second"),
      );
      body.append(row);
    }
    grid.append(caption, thead, body);
    section.append(grid);
  }
  return section;
}

function kindText(kind, first, second) {
  switch (kind) {
    case "DIFFERENT":
      return "different";
    case "ONLY_IN_FIRST":
      return `only in v${first}`;
    case "ONLY_IN_SECOND":
      return `only in v${second}`;
    default:
      return kind;
  }
}

function valueCell(value, side) {
  const td = cell(value === null || value === undefined ? "—" : JSON.stringify(value), "td", true);
  td.dataset.side = side;
  return td;
}

// ---- dead letters ---------------------------------------------------------------------------

async function loadDeadLetters(event) {
  event?.preventDefault();
  const parameters = {
    version: $("dead-letters-version").value,
    limit: $("dead-letters-limit").value,
  };
  try {
    const answer = await read(`${jobPath()}/dead-letters${query(parameters)}`);
    renderDeadLetters(answer);
    return answer;
  } catch (error) {
    fail(error);
    return null;
  }
}

function renderDeadLetters(answer) {
  const table = $("dead-letters");
  table.dataset.version = answer.version;
  const total = `${answer.totalExact ? "" : "at most "}${numbers.format(answer.total)}`;
  $("dead-letters-summary").textContent =
    answer.total === 0
      ? `No dead letters in ${answer.topic}.`
      : `${total} dead letter(s) of v${answer.version} in ${answer.topic};` +
        ` the newest ${answer.letters.length} below. Select letters, fix a value if needed, and` +
        " re-drive them to their source topic.";
  const rows = answer.letters.map((letter) => {
    const id = `${letter.partition}-${letter.offset}`;
    const row = document.createElement("tr");
    row.dataset.partition = letter.partition;
    row.dataset.offset = letter.offset;
    const select = document.createElement("td");
    const check = document.createElement("input");
    check.type = "checkbox";
    check.id = `letter-${id}`;
    check.className = "letter-select";
    select.append(hiddenLabel(check.id, `Select dead letter ${letter.partition}/${letter.offset}`), check);
    const fix = document.createElement("td");
    const box = document.createElement("textarea");
    box.id = `fix-${id}`;
    box.className = "letter-fix";
    box.rows = 2;
    box.cols = 28;
    box.placeholder = "unchanged";
    fix.append(
      hiddenLabel(box.id, `Fixed value for dead letter ${letter.partition}/${letter.offset}`),
      box,
    );
    row.append(
      select,
      cell(`partition ${letter.partition}, offset ${letter.offset}\n${letter.timestamp ?? ""}`),
      cell(
        `${letter.sourceTopic} partition ${letter.sourcePartition}, offset ${letter.sourceOffset}` +
          `\n${letter.sourceTimestamp ?? ""}`,
      ),
      reasonCell(letter),
      cell(bytesText(letter.key, letter.keyBase64, "no key"), "td", true),
      cell(valueText(letter), "td", true),
      fix,
      cell(letter.redriven ? "yes" : "no"),
    );
    for (const td of row.cells) {
      td.style.whiteSpace = "pre-line";
    }
    return row;
  });
  table.tBodies[0].replaceChildren(...rows);
  table.hidden = rows.length === 0;
  $("redrive").hidden = rows.length === 0;
}

/** Why a letter failed, and the exception's simple name (its full name on hover). */
function reasonCell(letter) {
  const td = cell(letter.reason ?? "");
  const exception = document.createElement("span");
  exception.className = "help";
  exception.title = letter.exceptionClass;
  exception.textContent = `\n${letter.exceptionClass.split(".").pop()}`;
  td.append(exception);
  return td;
}

/** A key or value: its text, else its bytes in base64, else that there is none. */
function bytesText(text, base64, none) {
  if (text !== null && text !== undefined) {
    return text;
  }
  return base64 ? `(not text; base64) ${base64}` : `(${none})`;
}

/** A letter's value, saying so when the letter holds only its start. */
function valueText(letter) {
  const shown = bytesText(letter.value, letter.valueBase64, "no value");
  const held =
    letter.value !== null && letter.value !== undefined
      ? new TextEncoder().encode(letter.value).length
      : letter.valueBase64
        ? atob(letter.valueBase64).length
        : -1;
  return letter.valueSize > held
    ? `${shown}\n(the first ${numbers.format(held)} of ${numbers.format(letter.valueSize)} bytes)`
    : shown;
}

async function redrive() {
  const version = Number($("dead-letters").dataset.version);
  const letters = [...$("dead-letters").tBodies[0].rows]
    .filter((row) => row.querySelector(".letter-select").checked)
    .map((row) => {
      const letter = { partition: Number(row.dataset.partition), offset: Number(row.dataset.offset) };
      const fixed = row.querySelector(".letter-fix").value;
      if (fixed.trim()) {
        letter.value = fixed;
      }
      return letter;
    });
  if (!letters.length) {
    fail(new Error("Select the dead letters to re-drive."));
    return;
  }
  const answer = await admin(
    `re-drive ${letters.length} dead letter(s)`,
    "POST",
    `${adminPath()}/dead-letters/redrive`,
    { version, letters },
  );
  if (answer) {
    const sent = answer.sent.map(
      (letter) =>
        `${letter.partition}/${letter.offset} to ${letter.topic} partition ${letter.newPartition}` +
        ` offset ${letter.newOffset}`,
    );
    const already = answer.alreadySent.map((letter) => `${letter.partition}/${letter.offset}`);
    await loadDeadLetters();
    say(
      `Re-drove ${answer.sent.length} dead letter(s)${sent.length ? ": " + sent.join("; ") : ""}.` +
        (already.length ? ` Already sent before, not sent again: ${already.join(", ")}.` : ""),
    );
  }
}

// ---- small DOM helpers ----------------------------------------------------------------------

function cell(text, tag = "td", asCode = false) {
  const node = document.createElement(tag);
  if (asCode) {
    const code = document.createElement("code");
    code.textContent = text;
    node.append(code);
  } else {
    node.textContent = text;
  }
  return node;
}

function option(value, text) {
  const node = document.createElement("option");
  node.value = value;
  node.textContent = text;
  return node;
}

function button(text, focusKey, className, onClick) {
  const node = document.createElement("button");
  node.type = "button";
  node.textContent = text;
  node.dataset.focus = focusKey;
  node.className = className;
  node.addEventListener("click", onClick);
  return node;
}

function hiddenLabel(forId, text) {
  const label = document.createElement("label");
  label.htmlFor = forId;
  label.className = "visually-hidden";
  label.textContent = text;
  return label;
}

// ---- wiring ---------------------------------------------------------------------------------

$("job").addEventListener("change", () => {
  job = $("job").value;
  shownView = "";
  for (const id of ["compare-first", "compare-second", "topology-version", "dead-letters-version"]) {
    delete $(id).dataset.chosen;
  }
  $("topology").replaceChildren();
  $("comparison").replaceChildren();
  $("progress").replaceChildren();
  $("dead-letters").hidden = true;
  $("redrive").hidden = true;
  $("dead-letters-summary").textContent = "";
  refresh();
});
for (const id of ["compare-first", "compare-second", "topology-version", "dead-letters-version"]) {
  $(id).addEventListener("change", () => {
    $(id).dataset.chosen = "true";
  });
}
$("topology-version").addEventListener("change", showTopology);
$("start-version").addEventListener("input", () => {
  $("start-version").dataset.touched = "true";
});
$("start").addEventListener("click", start);
$("rollback").addEventListener("click", rollback);
$("compare-form").addEventListener("submit", compare);
$("dead-letters-form").addEventListener("submit", loadDeadLetters);
$("redrive").addEventListener("click", redrive);
// A token typed or changed: show progress at once rather than at the next refresh. The form is
// never sent anywhere: Enter in the field only refreshes.
$("token").addEventListener("change", refresh);
$("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  refresh();
});

refresh();
