// The app's module graph has no import circle (the pages once imported useUi from app.tsx,
// which imports the pages).
import { test } from "node:test";
import assert from "node:assert/strict";

import { bundle } from "./load.mjs";

test("no module of the app imports one that imports it back", async () => {
  const { metafile } = await bundle("main.tsx", { metafile: true, outdir: "/nonexistent" });
  const ours = (p) => p.startsWith("src/") || p.includes("/web/src/");
  const graph = Object.fromEntries(Object.entries(metafile.inputs).filter(([p]) => ours(p))
    .map(([p, input]) => [p, input.imports.map((i) => i.path).filter(ours)]));
  assert.ok(Object.keys(graph).length > 10, Object.keys(graph).join(" "));
  const cycles = [];
  const visit = (node, path) => {
    if (path.includes(node)) {
      cycles.push([...path.slice(path.indexOf(node)), node].join(" → "));
      return;
    }
    for (const next of graph[node] ?? []) visit(next, [...path, node]);
  };
  for (const node of Object.keys(graph)) visit(node, []);
  assert.deepEqual(cycles, []);
});
