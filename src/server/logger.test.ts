import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger("test", "info", stream) };
}

describe("logger redaction", () => {
  it("never writes tokens, cookies or client secrets", () => {
    const { lines, logger } = capture();
    logger.info(
      {
        access_token: "AT-secret-1",
        account: { refresh_token: "RT-secret-2", accessToken: "AT-secret-3" },
        req: { headers: { authorization: "Bearer AT-secret-4", cookie: "next-auth.session-token=S-secret-5" } },
        x: { clientSecret: "CS-secret-6" },
        userId: "u1",
      },
      "token refreshed",
    );
    const out = lines.join("");
    for (const secret of ["AT-secret-1", "RT-secret-2", "AT-secret-3", "AT-secret-4", "S-secret-5", "CS-secret-6"]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("[redacted]");
    expect(JSON.parse(lines[0]!)).toMatchObject({ userId: "u1", msg: "token refreshed" });
  });
});
