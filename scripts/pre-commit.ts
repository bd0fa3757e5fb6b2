/**
 * Git hooks (installed by `npm install`, see scripts/install-git-hooks.mjs):
 *   pre-commit   Prettier and ESLint on the staged files only (a few seconds, not the tree's minutes)
 *   commit-msg   a subject of at most 72 characters, and a blank line before any body
 * `git commit --no-verify` skips them; `SKIP_SIMPLE_GIT_HOOKS=1` too.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(ROOT, "node_modules/.bin", name);
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit" }).status === 0;

export const SUBJECT_MAX = 72;

/** What is wrong with a commit message, or null. Comment lines (git's template) do not count. */
export function commitMessageProblem(message: string): string | null {
  const lines = message.split("\n").filter((l) => !l.startsWith("#"));
  const subject = lines[0]?.trim() ?? "";
  if (subject === "") return "The commit message has no subject line.";
  if (subject.length > SUBJECT_MAX) return `The subject has ${subject.length} characters; at most ${SUBJECT_MAX}, details in the body.`;
  if (lines.length > 1 && lines[1]!.trim() !== "") return "Leave a blank line between the subject and the body.";
  return null;
}

function preCommit(): boolean {
  const staged = spawnSync("git", ["diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z"], { cwd: ROOT, encoding: "utf8" });
  const files = staged.stdout.split("\0").filter(Boolean);
  if (files.length === 0) return true;
  let ok = run(bin("prettier"), ["--check", "--ignore-unknown", ...files]);
  const code = files.filter((f) => /\.(ts|tsx|mjs|js)$/.test(f));
  if (code.length > 0) ok = run(bin("eslint"), ["--no-warn-ignored", ...code]) && ok;
  if (!ok) console.error("\npre-commit: fix the above (`npm run format` formats), or commit with --no-verify.");
  return ok;
}

function commitMsg(file: string | undefined): boolean {
  if (!file) return true;
  const problem = commitMessageProblem(readFileSync(file, "utf8"));
  if (problem) console.error(`commit-msg: ${problem}`);
  return problem === null;
}

if (path.resolve(process.argv[1] ?? "") === import.meta.filename) {
  const [hook, arg] = process.argv.slice(2);
  process.exit((hook === "commit-msg" ? commitMsg(arg) : preCommit()) ? 0 : 1);
}
