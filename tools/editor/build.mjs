// Builds the desk's body editor into one file the Go server embeds:
// internal/desk/assets/body-editor.js. Run with `npm ci && npm run build`
// (CI checks that the committed file is what this builds).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "..", "internal", "desk", "assets", "body-editor.js");

await build({
  entryPoints: [join(here, "src", "main.js")],
  outfile: out,
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "none",
  charset: "utf8",
  banner: { js: "// newsdesk body editor: built from tools/editor (npm ci --prefix tools/editor && npm run --prefix tools/editor build); do not edit." },
  logLevel: "warning",
  plugins: [
    {
      name: "entities-from-the-browser",
      setup(b) {
        b.onResolve({ filter: /^entities$/ }, () => ({ path: join(here, "src", "entities.js") }));
      },
    },
  ],
});
