// The app as cdktf.json and `npm run synth` run it: main.ts and everything it imports as one
// esbuild bundle, run with V8's code cache. Both are keyed by a hash of everything the bundle is
// built from (src/synth/source-hash.cjs: the sources' contents, the installed packages' lock files,
// this loader, the Node.js version), stored as .cache/app/<hash>.js and <hash>.js.v8: V8 checks a
// code cache only against its source's length, so a cache reused for an edited bundle of the same
// length would run the previous code. One file loads faster than a per-file TypeScript loader
// (`npm run bench` compares them); cdktf's token stack traces are recorded only on request
// (token-stack-trace.cjs). The output is the same (`npm run bench` compares every stack byte for
// byte). Type-checking stays in `npm test`.
"use strict";
const fs = require("fs");
const path = require("path");
const { sourceHash } = require("../src/synth/source-hash.cjs");

const root = path.join(__dirname, "..");
const cacheDir = path.join(root, ".cache", "app");
const bundle = path.join(cacheDir, `${sourceHash(root)}.js`);
/** Bundles of other sources are removed once this old: parallel runs of another tree keep theirs. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** Builds the bundle (written whole, then renamed: parallel runs never load half a bundle). */
async function build() {
  const partial = `${bundle}.${process.pid}.tmp`;
  const tokenStackTrace = path.join(__dirname, "token-stack-trace.cjs");
  fs.mkdirSync(cacheDir, { recursive: true });
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
  removeStaleBundles();
}

/** Removes the bundles (and code caches) of other sources not used for a day. */
function removeStaleBundles() {
  const keep = path.basename(bundle);
  for (const name of fs.readdirSync(cacheDir)) {
    if (name.startsWith(keep)) continue;
    const file = path.join(cacheDir, name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.atimeMs > STALE_AFTER_MS && Date.now() - stat.mtimeMs > STALE_AFTER_MS) fs.rmSync(file, { force: true });
  }
}

/**
 * Runs the bundle with V8's code cache beside it (<hash>.js.v8): compiling 5 MB of JavaScript is
 * then mostly skipped. The cache belongs to exactly this bundle (same hash); V8 still rejects one
 * of another V8 version or flags, and it is rewritten.
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

if (!fs.existsSync(bundle)) {
  build().then(run, (error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  run();
}
