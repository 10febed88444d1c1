// Builds the web app into dist/: one bundled, minified script and stylesheet under assets/ with
// content hashes in their names (hearthd serves them as immutable), index.html pointing at them,
// the manifest, icons (SVG, and PNG drawn by icons.mjs) and service worker, and a gzip twin of
// every text file.
import * as esbuild from "esbuild";
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { iconPng } from "./icons.mjs";

const dist = new URL("./dist/", import.meta.url).pathname;
rmSync(dist, { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: ["src/main.tsx"],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  jsx: "automatic",
  jsxImportSource: "preact",
  entryNames: "[name]-[hash]",
  outdir: join(dist, "assets"),
  metafile: true,
  logLevel: "warning",
});
const outputs = Object.keys(result.metafile.outputs).map((p) => p.split("/").pop());
const js = outputs.find((f) => f.endsWith(".js"));
const css = outputs.find((f) => f.endsWith(".css"));
cpSync("public", dist, { recursive: true });
for (const size of [192, 512]) writeFileSync(join(dist, `icon-${size}.png`), iconPng(size));
const index = readFileSync("public/index.html", "utf8").replace("%JS%", js).replace("%CSS%", css);
writeFileSync(join(dist, "index.html"), index);

let raw = 0;
let zipped = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (/\.(html|js|css|svg|webmanifest|json)$/.test(entry.name)) {
      const body = readFileSync(path);
      const gz = gzipSync(body, { level: 9 });
      writeFileSync(`${path}.gz`, gz);
      raw += body.length;
      zipped += gz.length;
    }
  }
};
walk(dist);
console.log(`web: dist/ ${js}, ${css}: ${(raw / 1024).toFixed(1)} KB, ${(zipped / 1024).toFixed(1)} KB gzipped`);
