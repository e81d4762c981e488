/**
 * Where main.ts writes (src/synth/staging.ts): publishing a staging directory into the output,
 * removing the stacks a synthesis no longer produces (only directories cdktf wrote, never one
 * with a local state file), and removing the staging directories of runs that were killed.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { publish, publishedLines, removeAbandonedStaging } from "../src/synth/staging";

/** A synthesis of `stacks` into `dir`, as cdktf writes it: manifest.json and stacks/<name>/cdk.tf.json. */
function synthesized(dir: string, stacks: string[]): string {
  for (const stack of stacks) {
    fs.mkdirSync(path.join(dir, "stacks", stack), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), JSON.stringify({ "//": { metadata: { stackName: stack } } }));
  }
  const manifest = { stacks: Object.fromEntries(stacks.map((s) => [s, { synthesizedStackPath: `stacks/${s}/cdk.tf.json` }])) };
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
  return dir;
}

const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), "synth-output-"));

describe("publish", () => {
  test("removes the directory of a stack the new synthesis no longer produces, and says so", () => {
    // GIVEN an output with dev and sbxalice, and a new synthesis of dev alone
    const root = scratch();
    const outdir = synthesized(path.join(root, "out"), ["dev", "sbxalice"]);
    const staging = synthesized(path.join(root, "staging"), ["dev"]);
    // WHEN it is published
    const result = publish(staging, outdir);
    // THEN sbxalice is gone, dev is there, the staging directory is gone
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["dev"]);
    expect(fs.existsSync(staging)).toBe(false);
    expect(publishedLines(result, root)).toEqual(["dev: out/stacks/dev/cdk.tf.json", "removed out/stacks/sbxalice: its stack is no longer in the settings"]);
  });

  test("a stack that is still produced keeps its .terraform directory", () => {
    const root = scratch();
    const outdir = synthesized(path.join(root, "out"), ["dev"]);
    fs.mkdirSync(path.join(outdir, "stacks", "dev", ".terraform"));
    fs.writeFileSync(path.join(outdir, "stacks", "dev", ".terraform", "terraform.tfstate"), "{}");
    publish(synthesized(path.join(root, "staging"), ["dev"]), outdir);
    expect(fs.existsSync(path.join(outdir, "stacks", "dev", ".terraform", "terraform.tfstate"))).toBe(true);
  });

  test("a stack directory left by an earlier run, no longer in the manifest, is removed too", () => {
    const root = scratch();
    const outdir = synthesized(path.join(root, "out"), ["dev"]);
    synthesized(path.join(root, "earlier"), ["sbxbob"]);
    fs.renameSync(path.join(root, "earlier", "stacks", "sbxbob"), path.join(outdir, "stacks", "sbxbob"));
    publish(synthesized(path.join(root, "staging"), ["dev"]), outdir);
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["dev"]);
  });

  test("a directory that cdktf did not write is left alone", () => {
    const root = scratch();
    const outdir = synthesized(path.join(root, "out"), ["dev"]);
    fs.mkdirSync(path.join(outdir, "stacks", "notes"));
    fs.writeFileSync(path.join(outdir, "stacks", "notes", "cdk.tf.json"), "{}");
    publish(synthesized(path.join(root, "staging"), ["dev"]), outdir);
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["dev", "notes"]);
  });

  test("a stack no longer produced that holds a local state file is kept, with a line saying what to do", () => {
    const root = scratch();
    const outdir = synthesized(path.join(root, "out"), ["dev", "old"]);
    fs.writeFileSync(path.join(outdir, "stacks", "old", "terraform.old.tfstate"), "{}");
    const result = publish(synthesized(path.join(root, "staging"), ["dev"]), outdir);
    expect(fs.existsSync(path.join(outdir, "stacks", "old", "terraform.old.tfstate"))).toBe(true);
    expect(publishedLines(result, root)).toContain(
      "kept out/stacks/old: its stack is no longer in the settings, but it holds a local Terraform state file; move the state elsewhere, then delete the directory",
    );
  });
});

describe("publish, with personal environments", () => {
  test("GIVEN an output with a personal sandbox WHEN syntheses without it publish THEN its directory is kept, each time, saying whose it is", () => {
    // GIVEN an output where sbxalice was written as a personal environment's stack
    const root = scratch();
    const outdir = path.join(root, "out");
    publish(synthesized(path.join(root, "first"), ["dev", "sbxalice"]), outdir, ["sbxalice"]);
    // WHEN two syntheses of dev alone (another settings file, or none) publish into it
    publish(synthesized(path.join(root, "second"), ["dev"]), outdir);
    const result = publish(synthesized(path.join(root, "third"), ["dev"]), outdir);
    // THEN sbxalice is still there, and the line says why
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["dev", "sbxalice"]);
    expect(publishedLines(result, root)).toEqual([
      "dev: out/stacks/dev/cdk.tf.json",
      "kept out/stacks/sbxalice: a personal environment's stack, from a DEPLOYMENT_SETTINGS file this synthesis did not read; once the environment is destroyed, delete the directory",
    ]);
  });

  test("GIVEN a personal sandbox committed since as a team environment WHEN it leaves the team's settings THEN its directory is removed like any team environment's", () => {
    const root = scratch();
    const outdir = path.join(root, "out");
    publish(synthesized(path.join(root, "first"), ["dev", "staging"]), outdir, ["staging"]);
    publish(synthesized(path.join(root, "second"), ["dev", "staging"]), outdir);
    const result = publish(synthesized(path.join(root, "third"), ["dev"]), outdir);
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["dev"]);
    expect(publishedLines(result, root)).toContain("removed out/stacks/staging: its stack is no longer in the settings");
  });
});

describe("publish, run by the cdktf CLI (deploy, diff, synth --hcl), which deletes the stale stack directories itself afterwards", () => {
  /** What cdktf-cli 0.21 does after the app: delete every directory under stacks/ it listed before, that the manifest does not name. */
  const cdktfAfterApp = (outdir: string, listedBefore: string[]) => {
    const current = Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks);
    for (const name of listedBefore.filter((n) => !current.includes(n))) fs.rmSync(path.join(outdir, "stacks", name), { recursive: true });
  };

  test("GIVEN an output with more stacks WHEN the CLI's app publishes fewer THEN it leaves the stale directories to the CLI, whose deletion then succeeds", () => {
    const root = scratch();
    const outdir = synthesized(path.join(root, "out"), ["baseline", "dev", "sbxalice"]);
    const listedBefore = fs.readdirSync(path.join(outdir, "stacks"));
    const result = publish(synthesized(path.join(root, "staging"), ["dev"]), outdir, [], { cdktfRemovesStale: true });
    // the directories are still there for the CLI to delete (it fails with ENOENT on a missing one)
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["baseline", "dev", "sbxalice"]);
    expect(() => cdktfAfterApp(outdir, listedBefore)).not.toThrow();
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["dev"]);
    expect(publishedLines(result, root)).toEqual([
      "dev: out/stacks/dev/cdk.tf.json",
      "removed out/stacks/baseline: its stack is no longer in the settings",
      "removed out/stacks/sbxalice: its stack is no longer in the settings",
    ]);
  });

  test("GIVEN a stale stack directory with a local state file WHEN the CLI's app publishes THEN it refuses, naming the directory and the fix, and writes nothing", () => {
    const root = scratch();
    const outdir = synthesized(path.join(root, "out"), ["dev", "old"]);
    fs.writeFileSync(path.join(outdir, "stacks", "old", "terraform.old.tfstate"), "{}");
    const staging = synthesized(path.join(root, "staging"), ["dev", "prod"]);
    expect(() => publish(staging, outdir, [], { cdktfRemovesStale: true })).toThrow(
      /stacks\/old holds a local Terraform state file, and its stack is no longer in the settings: the cdktf CLI deletes such a directory after synthesizing\. Fix: move the state file out of/,
    );
    expect(fs.existsSync(staging)).toBe(false);
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["dev", "old"]);
  });
});

describe("removeAbandonedStaging", () => {
  test("removes the staging directory of a run that no longer exists and keeps a running one's", () => {
    // GIVEN staging directories of a process that has exited and of this (running) process
    const root = scratch();
    const outdir = path.join(root, "cdktf.out");
    const exited = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    const [dead, live, unnamed] = [`cdktf.out.staging-${exited}-aaaaaa`, `cdktf.out.staging-${process.pid}-bbbbbb`, "cdktf.out.staging-cccccc"].map((name) =>
      path.join(root, name),
    );
    for (const dir of [dead, live, unnamed]) fs.mkdirSync(dir);
    // WHEN a new run starts
    const removed = removeAbandonedStaging(outdir);
    // THEN the exited run's (and one without a process id, from an older version) are removed
    expect(removed.sort()).toEqual([dead, unnamed].sort());
    expect(fs.existsSync(live)).toBe(true);
  });
});
