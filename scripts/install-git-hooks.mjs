/**
 * `npm install` (prepare): installs the git hooks of package.json's "simple-git-hooks" (pre-commit:
 * format and lint the staged files; commit-msg: the subject's length). Never fails the install:
 * CI, a Docker build without .git, a read-only checkout or a machine without git just skip it.
 * Plain JavaScript: it runs before anything is built.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdirSync } from "node:fs";
import path from "node:path";

function skip(why) {
  console.log(`[git hooks] not installed: ${why}`);
  process.exit(0);
}

if (process.env.CI) skip("CI");
if (["1", "true"].includes(process.env.SKIP_INSTALL_SIMPLE_GIT_HOOKS ?? "")) skip("SKIP_INSTALL_SIMPLE_GIT_HOOKS is set");
const git = spawnSync("git", ["rev-parse", "--git-path", "hooks"], { encoding: "utf8" });
if (git.status !== 0) skip("not a git checkout (or no git)");
const hooks = path.resolve(git.stdout.trim());
try {
  mkdirSync(hooks, { recursive: true });
  accessSync(hooks, constants.W_OK);
} catch {
  skip(`${hooks} is not writable`);
}
const bin = path.join("node_modules", ".bin", process.platform === "win32" ? "simple-git-hooks.cmd" : "simple-git-hooks");
const run = spawnSync(bin, [], { stdio: "inherit", shell: process.platform === "win32" });
if (run.status !== 0) console.log("[git hooks] simple-git-hooks failed; run `npx simple-git-hooks` to try again");
