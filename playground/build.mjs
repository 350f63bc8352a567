// Builds the playground into src/serve/assets/ (playground.html, .js, .css),
// which the binary embeds. Deterministic: the same sources and lockfile give
// the same bytes, so `npm run check` can compare the committed assets.
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "serve", "assets");
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  logLevel: "warning",
  legalComments: "eof",
  charset: "utf8",
  banner: { js: "/* verdict playground, bundled with CodeMirror 6 (MIT, codemirror.net); sources in playground/ */", css: "/* verdict playground; sources in playground/ */" },
};

await esbuild.build({
  ...common,
  entryPoints: [join(here, "src", "main.js")],
  outfile: join(out, "playground.js"),
  format: "iife",
  target: ["es2020"],
});
await esbuild.build({
  ...common,
  entryPoints: [join(here, "src", "style.css")],
  outfile: join(out, "playground.css"),
});
copyFileSync(join(here, "src", "index.html"), join(out, "playground.html"));
