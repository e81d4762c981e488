// One content hash of what the app is built from: every TypeScript and JSON file the bundle can
// import (main.ts, backend.ts, src/), the lock files of the installed packages, the
// loader itself and the Node.js version. Caches are keyed by it (tools/app.cjs's bundle and V8
// code cache, the specs' synthesis cache), never by a modification time or a length: an edit that
// keeps a file's length or its time still gives another key.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..", "..");

/** What the bundle is built from, relative to the root: files, or folders read for .ts/.json. */
const SOURCES = ["main.ts", "backend.ts", "src", "package-lock.json", path.join("node_modules", ".package-lock.json")];
/** The loader's own files: a change to how the bundle is built is a change of the bundle. */
const LOADER = [path.join("tools", "app.cjs"), path.join("tools", "token-stack-trace.cjs"), path.join("src", "synth", "source-hash.cjs")];

function sourceFiles(projectRoot = root) {
  const files = [];
  const visit = (relative) => {
    const absolute = path.join(projectRoot, relative);
    const stat = fs.statSync(absolute, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const child of fs.readdirSync(absolute).sort()) visit(path.join(relative, child));
    else if (/\.(ts|json)$/.test(relative)) files.push(relative);
  };
  for (const source of SOURCES) visit(source);
  return [...files, ...LOADER.filter((file) => fs.existsSync(path.join(projectRoot, file)))];
}

/** sha256 over each source file's path and content, and the Node.js version (hex, 64 characters). */
function sourceHash(projectRoot = root) {
  const hash = crypto.createHash("sha256").update(`node ${process.version}\0`);
  for (const file of sourceFiles(projectRoot)) {
    const content = fs.readFileSync(path.join(projectRoot, file));
    hash.update(`${file.split(path.sep).join("/")}\0${content.length}\0`).update(content);
  }
  return hash.digest("hex");
}

module.exports = { sourceFiles, sourceHash };
