// The app as cdktf.json and `npm run synth` run it: main.ts and everything it imports as one
// esbuild bundle, rebuilt only when a source or the installed packages are newer than it. One
// file loads in about half the time of a per-file TypeScript loader; the output is the same
// (`npm run bench` compares every stack byte for byte). Type-checking stays in `npm test`.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const bundle = path.join(root, ".cache", "app", "main.js");

/** The newest modification time among the app's sources and the installed packages. */
function newestInput() {
  let newest = 0;
  const visit = (entry) => {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const child of fs.readdirSync(entry)) visit(path.join(entry, child));
    else if (entry.endsWith(".ts") || entry.endsWith(".json")) newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of ["main.ts", "backend.ts", "src", "package-lock.json", path.join("node_modules", ".package-lock.json")]) visit(path.join(root, input));
  return newest;
}

const built = fs.statSync(bundle, { throwIfNoEntry: false });
if (!built || built.mtimeMs < newestInput()) {
  // Written whole, then renamed: runs in parallel (the test suite) never load half a bundle.
  const partial = `${bundle}.${process.pid}.tmp`;
  require("esbuild").buildSync({
    entryPoints: [path.join(root, "main.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    outfile: partial,
    logLevel: "error",
  });
  fs.renameSync(partial, bundle);
}
require(bundle);
