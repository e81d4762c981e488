/**
 * The documents a user reads (README.md, docs/, docs/ci/README.md, SECURITY.md) hold together:
 * every relative link resolves inside the repository, every `npm run` script they name exists,
 * they run the cdktf CLI through the npm scripts (which switch its version check off), the
 * README's two set-up commands are the ones CI runs, and no project-internal issue number stands
 * in for a version or a date.
 */
import * as fs from "fs";
import * as path from "path";

/** The user documents of `root`, relative to it. */
export function userDocuments(root: string): string[] {
  const docs = (dir: string) =>
    fs.existsSync(path.join(root, dir))
      ? fs
          .readdirSync(path.join(root, dir))
          .filter((f) => f.endsWith(".md"))
          .map((f) => path.join(dir, f))
      : [];
  return ["README.md", "SECURITY.md", ...docs("docs"), ...docs(path.join("docs", "ci"))].filter((file) => fs.existsSync(path.join(root, file)));
}

/** An issue number where a user needs a version or a date: "issue 24", "issue 23's table", "#24's". */
const ISSUE_NUMBER = /\bissues? #?\d+|(?<![\w&/])#\d{1,3}\b(?!-)/gi;

/** Everything wrong with the documents of `root`, each naming the file. */
export function documentProblems(root: string): string[] {
  const text = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
  const documents = userDocuments(root);
  const scripts = Object.keys((JSON.parse(text("package.json")) as { scripts: Record<string, string> }).scripts);
  const problems: string[] = [];
  for (const file of documents) {
    const body = text(file);
    for (const [, target] of body.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const resolved = path.resolve(root, path.dirname(file), target);
      if (!fs.existsSync(resolved)) problems.push(`${file}: the link ${target} points at nothing`);
      else if (path.relative(root, resolved).startsWith("..")) problems.push(`${file}: the link ${target} leaves the repository (a clone has no such file)`);
    }
    for (const [, script] of body.matchAll(/npm run ([a-z]+(?::[a-z]+)*)/g))
      if (!scripts.includes(script)) problems.push(`${file}: names npm run ${script}, which package.json does not have`);
    for (const line of body.split("\n").filter((l) => /npx cdktf/.test(l))) {
      problems.push(`${file}: runs the cdktf CLI directly (${line.trim()}); use the npm script, which switches its version check off`);
    }
    for (const [found] of body.matchAll(ISSUE_NUMBER))
      problems.push(`${file}: "${found}" means nothing to a user; name the version or the date (CHANGELOG.md)`);
  }
  const setup = /## Set-up: the two commands\n\n```sh\n([\s\S]*?)```/.exec(text("README.md"))?.[1] ?? "";
  if (!/^npm ci && npm run synth\s+#/m.test(setup) || !/^npm test\s+#/m.test(setup)) {
    problems.push('README.md: "Set-up: the two commands" should be `npm ci && npm run synth` and `npm test`, each with its comment');
  }
  const ci = text(path.join(".ci", "run"));
  if (!/^npm ci\b/m.test(ci) || !/^npm test$/m.test(ci)) problems.push(".ci/run should install with npm ci and run npm test, the README's test command");
  return [...new Set(problems)];
}
