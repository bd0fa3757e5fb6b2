import { describe, expect, it } from "vitest";
import { commitMessageProblem } from "./pre-commit";

describe("the commit-msg hook", () => {
  it("takes a subject of at most 72 characters, a blank line, then a body", () => {
    expect(commitMessageProblem("Fix the thing\n\nBecause.\n")).toBeNull();
    expect(commitMessageProblem(`${"x".repeat(72)}\n`)).toBeNull();
    expect(commitMessageProblem("# only a comment\n")).toMatch(/no subject/);
  });

  it("refuses a long subject or a body glued to it", () => {
    expect(commitMessageProblem(`${"x".repeat(73)}\n`)).toMatch(/73 characters; at most 72/);
    expect(commitMessageProblem("Subject\nbody right after\n")).toMatch(/blank line/);
  });
});
