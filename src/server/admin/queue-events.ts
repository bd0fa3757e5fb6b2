import { QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUE_KEYS, QUEUE_NAMES, type QueueKey } from "~/shared/queues";

export const queueEventNames = [
  "waiting",
  "active",
  "progress",
  "completed",
  "failed",
  "delayed",
  "removed",
  "paused",
  "resumed",
  "cleaned",
] as const;
export type QueueEventName = (typeof queueEventNames)[number];

/** One thing that happened on a queue, as the admin page receives it. */
export interface AdminQueueEvent {
  queue: QueueKey;
  event: QueueEventName;
  /** null for queue-wide events (paused, resumed, cleaned). */
  jobId: string | null;
  /** When this web process heard of it (ISO). */
  at: string;
  /** failed: the reason; delayed: until when (ISO); cleaned: how many; progress: the job's progress. */
  failedReason?: string;
  delayedUntil?: string;
  count?: number;
  progress?: unknown;
}

/** What the admin subscription yields: the events since the previous message, at most a few a second. */
export interface AdminQueueEventBatch {
  at: string;
  events: AdminQueueEvent[];
  /** Events left out of this batch because it was full (refetch rather than patch). */
  dropped: number;
}

type Listener = (e: AdminQueueEvent) => void;

/**
 * One BullMQ QueueEvents per queue per web process, shared by every admin socket: created when the
 * first admin subscribes, kept until the process closes its services. Each QueueEvents holds one
 * blocking Redis connection (XREAD on the queue's event stream).
 */
export class QueueEventHub {
  private readonly listeners = new Set<Listener>();
  private sources: Promise<QueueEvents[]> | null = null;

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly onError?: (err: Error) => void,
  ) {}

  /** Starts delivering events to `listener`; resolves once the queues' event streams are being read. */
  async subscribe(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    try {
      await (this.sources ??= this.start());
    } catch (e) {
      this.listeners.delete(listener);
      this.sources = null;
      throw e;
    }
    return () => void this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private async start(): Promise<QueueEvents[]> {
    const all = QUEUE_KEYS.map((key) => this.watch(key));
    await Promise.all(all.map((qe) => qe.waitUntilReady()));
    return all;
  }

  private watch(queue: QueueKey): QueueEvents {
    // BullMQ duplicates the connection: a blocking reader never holds up the caller's client.
    const qe = new QueueEvents(QUEUE_NAMES[queue], { connection: this.connection, prefix: this.prefix });
    const emit = (event: QueueEventName, jobId: string | null, extra: Partial<AdminQueueEvent> = {}) => {
      const e: AdminQueueEvent = { queue, event, jobId, at: new Date().toISOString(), ...extra };
      for (const l of this.listeners) l(e);
    };
    qe.on("waiting", ({ jobId }) => emit("waiting", jobId));
    qe.on("active", ({ jobId }) => emit("active", jobId));
    qe.on("progress", ({ jobId, data }) => emit("progress", jobId, { progress: data }));
    qe.on("completed", ({ jobId }) => emit("completed", jobId));
    qe.on("failed", ({ jobId, failedReason }) => emit("failed", jobId, { failedReason }));
    qe.on("delayed", ({ jobId, delay }) => emit("delayed", jobId, { delayedUntil: new Date(Number(delay)).toISOString() }));
    qe.on("removed", ({ jobId }) => emit("removed", jobId));
    qe.on("paused", () => emit("paused", null));
    qe.on("resumed", () => emit("resumed", null));
    qe.on("cleaned", ({ count }) => emit("cleaned", null, { count: Number(count) }));
    qe.on("error", (err) => this.onError?.(err));
    return qe;
  }

  async close(): Promise<void> {
    const sources = this.sources;
    this.sources = null;
    this.listeners.clear();
    if (sources) await Promise.allSettled((await sources.catch(() => [])).map((qe) => qe.close()));
  }
}

/**
 * The admin subscription's stream: a first, empty batch as soon as events are being received (the
 * page should (re)fetch then, so nothing falls between its fetch and the stream), then the events
 * in batches at most every `intervalMs` (a busy queue emits hundreds a second; a browser needs a
 * few). Ends when `signal` aborts.
 */
export async function* throttledQueueEvents(
  hub: Pick<QueueEventHub, "subscribe">,
  signal: AbortSignal,
  opts: { intervalMs?: number; maxBatch?: number; queue?: QueueKey } = {},
): AsyncGenerator<AdminQueueEventBatch> {
  const intervalMs = opts.intervalMs ?? 250;
  const maxBatch = opts.maxBatch ?? 200;
  let buffer: AdminQueueEvent[] = [];
  let dropped = 0;
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  signal.addEventListener("abort", poke, { once: true });
  const unsubscribe = await hub.subscribe((e) => {
    if (opts.queue && e.queue !== opts.queue) return;
    if (buffer.length < maxBatch) buffer.push(e);
    else dropped++;
    poke();
  });
  try {
    if (signal.aborted) return;
    yield { at: new Date().toISOString(), events: [], dropped: 0 };
    let last = Date.now();
    while (!signal.aborted) {
      if (buffer.length === 0 && dropped === 0) await new Promise<void>((r) => (wake = r));
      if (signal.aborted) break;
      const wait = last + intervalMs - Date.now();
      if (wait > 0) await sleep(wait, signal);
      if (signal.aborted) break;
      const batch: AdminQueueEventBatch = { at: new Date().toISOString(), events: buffer, dropped };
      buffer = [];
      dropped = 0;
      last = Date.now();
      yield batch;
    }
  } finally {
    signal.removeEventListener("abort", poke);
    unsubscribe();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
