// The app's TypeScript modules for node's test runner: bundled by esbuild (as build.mjs does,
// without the stylesheets) and imported from memory.
import * as esbuild from "esbuild";

export const src = new URL("../../src/", import.meta.url).pathname;

export async function bundle(entry, extra = {}) {
  return esbuild.build({
    entryPoints: [src + entry], bundle: true, write: false, format: "esm", platform: "node", jsx: "automatic",
    jsxImportSource: "preact", loader: { ".css": "empty" }, logLevel: "silent", ...extra,
  });
}

export async function load(entry) {
  const { outputFiles: [js] } = await bundle(entry);
  return import(`data:text/javascript;base64,${Buffer.from(js.text).toString("base64")}`);
}
