import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RestartPolicy } from "./restart-policy";

describe("RestartPolicy", () => {
  it("backs off 1 s, 2 s, 4 s, 8 s for crashes in a row, and gives up at the 5th within a minute", () => {
    const p = new RestartPolicy();
    const delays = [0, 1, 2, 3].map((i) => p.onCrash(i * 1_000, 100));
    expect(delays).toEqual([
      { restart: true, delayMs: 1_000, crashesInWindow: 1 },
      { restart: true, delayMs: 2_000, crashesInWindow: 2 },
      { restart: true, delayMs: 4_000, crashesInWindow: 3 },
      { restart: true, delayMs: 8_000, crashesInWindow: 4 },
    ]);
    expect(p.onCrash(4_000, 100)).toEqual({ restart: false, crashesInWindow: 5 });
  });

  it("caps the delay at 30 s for a process that keeps crashing, slowly enough not to give up", () => {
    const p = new RestartPolicy();
    const delays: number[] = [];
    // One crash every 20 s after 19 s of running: at most 3 in any minute.
    for (let i = 0; i < 8; i++) {
      const d = p.onCrash(i * 20_000, 19_000);
      expect(d.restart).toBe(true);
      if (d.restart) delays.push(d.delayMs);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("starts the backoff again after a process ran for a whole window", () => {
    const p = new RestartPolicy();
    p.onCrash(0, 10);
    p.onCrash(1_000, 10);
    expect(p.onCrash(2_000, 10)).toMatchObject({ delayMs: 4_000 });
    expect(p.onCrash(200_000, 190_000)).toEqual({ restart: true, delayMs: 1_000, crashesInWindow: 1 });
  });

  it("crashes older than the window do not count towards giving up", () => {
    const p = new RestartPolicy({ maxCrashes: 3, windowMs: 10_000 });
    expect(p.onCrash(0, 0).restart).toBe(true);
    expect(p.onCrash(5_000, 0).restart).toBe(true);
    expect(p.onCrash(10_001, 0)).toMatchObject({ restart: true, crashesInWindow: 2 });
    expect(p.onCrash(10_002, 0)).toEqual({ restart: false, crashesInWindow: 3 });
  });

  it("property: every delay is within [initial, max], and it gives up exactly when maxCrashes fall in one window", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 90_000 }), fc.integer({ min: 0, max: 120_000 })), { minLength: 1, maxLength: 30 }),
        (steps) => {
          const p = new RestartPolicy();
          let now = 0;
          const times: number[] = [];
          for (const [gap, uptime] of steps) {
            now += gap;
            times.push(now);
            const d = p.onCrash(now, uptime);
            const inWindow = times.filter((t) => now - t < 60_000).length;
            expect(d.crashesInWindow).toBe(inWindow);
            expect(d.restart).toBe(inWindow < 5);
            if (d.restart) {
              expect(d.delayMs).toBeGreaterThanOrEqual(1_000);
              expect(d.delayMs).toBeLessThanOrEqual(30_000);
            }
          }
        },
      ),
    );
  });
});
