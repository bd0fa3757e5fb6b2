import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jsonText } from "./json";
import { isJobState, isQueueKey, QUEUE_KEYS, QUEUE_NAMES, queueKeyOf, queueKeySchema } from "./queues";
import { isOpenStatus } from "./sync";

describe("the shared contract", () => {
  it("derives every queue key from the one list of queues", () => {
    expect(QUEUE_KEYS).toEqual(["sync", "import", "maintenance", "media"]);
    for (const key of QUEUE_KEYS) {
      expect(queueKeyOf(QUEUE_NAMES[key])).toBe(key);
      expect(isQueueKey(key)).toBe(true);
      expect(queueKeySchema.parse(key)).toBe(key);
    }
    expect(isQueueKey("toString")).toBe(false);
    expect(queueKeyOf("nope")).toBeNull();
    expect(isJobState("paused")).toBe(true);
    expect(isJobState("waiting-children")).toBe(false);
  });

  it("calls a run open while queued or running", () => {
    expect(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "PREVIEW"].filter(isOpenStatus)).toEqual(["QUEUED", "RUNNING"]);
  });

  it("jsonText fails on text that is not JSON instead of throwing", () => {
    const schema = jsonText(z.object({ a: z.number() }));
    expect(schema.safeParse('{"a":1}')).toMatchObject({ success: true, data: { a: 1 } });
    expect(schema.safeParse('{"a":"x"}').success).toBe(false);
    expect(schema.safeParse("{not json").success).toBe(false);
  });
});
