// Draws a version's topology (GET /jobs/{job}/versions/{v}/topology) as an SVG: one frame per
// sub-topology, its nodes in layers from the sources down, an arrow from each node to each
// successor. Frames are laid side by side and wrap; the picture scrolls if it is wider than the
// page. A text list under it says the same for screen readers.

const SVG = "http://www.w3.org/2000/svg";
const CHAR = 7.3; // the width of a character of the 12 px monospace labels
const PAD = 10;
const NODE_HEIGHT = 56;
const LAYER_GAP = 36;
const NODE_GAP = 20;
const FRAME_PAD = 16;
const FRAME_TITLE = 26;
const FRAME_GAP = 24;
const MAX_WIDTH = 1240;

/** Replaces the children of {@code container} with the picture of {@code topology}. */
export function drawTopology(container, topology) {
  container.replaceChildren();
  const frames = topology.subtopologies.map((sub) =>
    layoutFrame(`Sub-topology ${sub.id}`, sub.nodes),
  );
  for (const store of topology.globalStores) {
    frames.push(
      layoutFrame(`Global store ${store.id}`, [
        { ...store.source, successors: [store.processor.name] },
        store.processor,
      ]),
    );
  }
  // Shelves: frames left to right, a new shelf when the next would pass MAX_WIDTH.
  let x = 0;
  let y = 0;
  let shelf = 0;
  let width = 0;
  for (const frame of frames) {
    if (x > 0 && x + frame.width > MAX_WIDTH) {
      x = 0;
      y += shelf + FRAME_GAP;
      shelf = 0;
    }
    frame.x = x;
    frame.y = y;
    x += frame.width + FRAME_GAP;
    shelf = Math.max(shelf, frame.height);
    width = Math.max(width, frame.x + frame.width);
  }
  const height = y + shelf;
  const nodes = frames.reduce((sum, frame) => sum + frame.nodes.length, 0);
  const titleId = `topology-title-${topology.job}-${topology.version}`;

  const svg = element("svg", {
    width: width + 2,
    height: height + 2,
    viewBox: `-1 -1 ${width + 2} ${height + 2}`,
    role: "img",
    "aria-labelledby": titleId,
  });
  svg.append(
    element(
      "title",
      { id: titleId },
      `Topology of ${topology.job} v${topology.version} (${topology.applicationId}):` +
        ` ${frames.length} sub-topologies, ${nodes} nodes`,
    ),
  );
  svg.append(arrowHead());
  for (const frame of frames) {
    svg.append(drawFrame(frame));
  }
  container.append(svg, textList(topology));
}

/** Places the nodes of one frame: a node's layer is the longest path to it from a source. */
function layoutFrame(title, nodes) {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const layer = new Map(nodes.map((node) => [node.name, 0]));
  // Longest paths by relaxing every edge; a cycle (none in Kafka Streams) stops after n rounds.
  for (let round = 0; round < nodes.length; round++) {
    let changed = false;
    for (const node of nodes) {
      for (const next of node.successors) {
        if (byName.has(next) && layer.get(next) < layer.get(node.name) + 1) {
          layer.set(next, layer.get(node.name) + 1);
          changed = true;
        }
      }
    }
    if (!changed) {
      break;
    }
  }
  const layers = [];
  for (const node of nodes) {
    (layers[layer.get(node.name)] ??= []).push(node);
  }
  const boxes = new Map();
  const rows = layers.filter(Boolean).map((row) =>
    row.map((node) => {
      const lines = labelLines(node);
      const box = {
        node,
        lines,
        width: Math.max(130, Math.ceil(Math.max(...lines.map((l) => l.length)) * CHAR) + 2 * PAD),
        height: NODE_HEIGHT,
      };
      boxes.set(node.name, box);
      return box;
    }),
  );
  const rowWidth = (row) => row.reduce((sum, box) => sum + box.width, 0) + NODE_GAP * (row.length - 1);
  const inner = Math.max(
    Math.ceil(title.length * 8),
    ...rows.map(rowWidth),
  );
  const predecessors = new Map(nodes.map((node) => [node.name, []]));
  for (const node of nodes) {
    for (const next of node.successors) {
      predecessors.get(next)?.push(node.name);
    }
  }
  rows.forEach((row, index) => {
    // Under the nodes that feed them, so that arrows cross less: by the mean centre of those.
    if (index > 0) {
      const centre = (box) => {
        const above = predecessors.get(box.node.name).map((name) => boxes.get(name));
        const placed = above.filter((other) => other.x !== undefined);
        return placed.length
          ? placed.reduce((sum, other) => sum + other.x + other.width / 2, 0) / placed.length
          : Infinity;
      };
      const centres = new Map(row.map((box) => [box, centre(box)]));
      row.sort((left, right) => centres.get(left) - centres.get(right));
    }
    let x = FRAME_PAD + (inner - rowWidth(row)) / 2;
    for (const box of row) {
      box.x = x;
      box.y = FRAME_TITLE + FRAME_PAD / 2 + index * (NODE_HEIGHT + LAYER_GAP);
      x += box.width + NODE_GAP;
    }
  });
  return {
    title,
    nodes,
    boxes,
    width: inner + 2 * FRAME_PAD,
    height: FRAME_TITLE + FRAME_PAD + rows.length * (NODE_HEIGHT + LAYER_GAP) - LAYER_GAP,
  };
}

function labelLines(node) {
  const lines = [node.name];
  if (node.kind === "source" && node.topics.length) {
    lines.push(`← ${node.topics.join(", ")}`);
  } else if (node.kind === "sink") {
    lines.push(`→ ${node.topic ?? "(topic chosen per record)"}`);
  } else if (node.stores.length) {
    lines.push(`store: ${node.stores.join(", ")}`);
  }
  return lines;
}

function drawFrame(frame) {
  const group = element("g", { transform: `translate(${frame.x} ${frame.y})` });
  group.append(
    element("rect", { class: "frame", width: frame.width, height: frame.height, rx: 6 }),
    element("text", { class: "frame-title", x: FRAME_PAD, y: 18 }, frame.title),
  );
  for (const box of frame.boxes.values()) {
    for (const next of box.node.successors) {
      const to = frame.boxes.get(next);
      if (to) {
        group.append(edge(box, to));
      }
    }
  }
  for (const box of frame.boxes.values()) {
    group.append(drawNode(box));
  }
  return group;
}

function drawNode(box) {
  const { node } = box;
  const group = element("g", {
    class: `node ${node.kind}`,
    transform: `translate(${box.x} ${box.y})`,
    "data-node": node.name,
  });
  group.append(
    element("title", {}, `${node.kind} ${box.lines.join("\n")}`),
    element("rect", { width: box.width, height: box.height, rx: node.kind === "processor" ? 4 : 14 }),
    element("text", { class: "kind", x: PAD, y: 15 }, node.kind),
  );
  box.lines.forEach((line, index) => {
    group.append(element("text", { x: PAD, y: 31 + index * 15 }, line));
  });
  return group;
}

function edge(from, to) {
  const x1 = from.x + from.width / 2;
  const y1 = from.y + from.height;
  const x2 = to.x + to.width / 2;
  const y2 = to.y - 2;
  const bend = Math.max(12, (y2 - y1) / 2);
  return element("path", {
    class: "edge",
    d: `M ${x1} ${y1} C ${x1} ${y1 + bend}, ${x2} ${y2 - bend}, ${x2} ${y2}`,
    "marker-end": "url(#arrow)",
  });
}

function arrowHead() {
  const defs = element("defs");
  const marker = element("marker", {
    id: "arrow",
    viewBox: "0 0 10 10",
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: "auto-start-reverse",
  });
  marker.append(element("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#4a4a4f" }));
  defs.append(marker);
  return defs;
}

/** The same topology as a list, for screen readers and for copying names. */
function textList(topology) {
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "Topology as text";
  const list = document.createElement("ul");
  const all = [
    ...topology.subtopologies.map((sub) => [`Sub-topology ${sub.id}`, sub.nodes]),
    ...topology.globalStores.map((store) => [
      `Global store ${store.id}`,
      [store.source, store.processor],
    ]),
  ];
  for (const [title, nodes] of all) {
    const item = document.createElement("li");
    item.textContent = title;
    const inner = document.createElement("ul");
    for (const node of nodes) {
      const line = document.createElement("li");
      line.textContent =
        `${node.kind} ${labelLines(node).join(" ")}` +
        (node.successors.length ? `, then ${node.successors.join(", ")}` : "");
      inner.append(line);
    }
    item.append(inner);
    list.append(item);
  }
  details.append(summary, list);
  return details;
}

function element(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    node.setAttribute(key, String(value));
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}
