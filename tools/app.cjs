// The app as cdktf.json and `npm run synth` run it: main.ts and everything it imports as one
// esbuild bundle, rebuilt only when a source, the installed packages or this loader are newer
// than it, and run with V8's code cache. One file loads faster than a per-file TypeScript
// loader (`npm run bench` compares them); cdktf's token stack traces are recorded only on request
// (token-stack-trace.cjs). The output is the same (`npm run bench` compares every stack byte for
// byte). Type-checking stays in `npm test`.
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
  // tools/lib: main.ts synthesizes through the library (tools/lib/synth).
  for (const input of ["main.ts", "backend.ts", "src", path.join("tools", "lib"), "package-lock.json", path.join("node_modules", ".package-lock.json")])
    visit(path.join(root, input));
  return newest;
}

/** Builds the bundle (written whole, then renamed: parallel runs never load half a bundle). */
async function build() {
  const partial = `${bundle}.${process.pid}.tmp`;
  const tokenStackTrace = path.join(__dirname, "token-stack-trace.cjs");
  await require("esbuild").build({
    entryPoints: [path.join(root, "main.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    outfile: partial,
    logLevel: "error",
    plugins: [
      {
        name: "token-stack-traces",
        setup(b) {
          b.onLoad({ filter: /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/ }, () => ({
            contents: fs.readFileSync(tokenStackTrace, "utf8"),
            loader: "js",
          }));
        },
      },
    ],
  });
  if (!fs.readFileSync(partial, "utf8").includes("CDKTF_TOKEN_STACK_TRACES")) {
    throw new Error("tools/app.cjs: cdktf's tokens/private/stack-trace.js was not found to replace; check the cdktf version");
  }
  fs.renameSync(partial, bundle);
}

/**
 * Runs the bundle with V8's code cache beside it (main.js.v8): compiling 5 MB of JavaScript
 * is then mostly skipped. V8 rejects a cache that does not match the bundle, and it is rewritten.
 */
function run() {
  const vm = require("vm");
  const Module = require("module");
  const cacheFile = `${bundle}.v8`;
  const cachedData = fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, "utf8")), { filename: bundle, cachedData });
  const bundleModule = new Module(bundle, module);
  bundleModule.filename = bundle;
  bundleModule.paths = Module._nodeModulePaths(path.dirname(bundle));
  script.runInThisContext()(bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, path.dirname(bundle));
  if (!cachedData || script.cachedDataRejected) {
    const partial = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(partial, script.createCachedData());
    fs.renameSync(partial, cacheFile);
  }
}

const built = fs.statSync(bundle, { throwIfNoEntry: false });
const inputs = Math.max(newestInput(), fs.statSync(__filename).mtimeMs, fs.statSync(path.join(__dirname, "token-stack-trace.cjs")).mtimeMs);
if (!built || built.mtimeMs < inputs) {
  build().then(run, (error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  run();
}
