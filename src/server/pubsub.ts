import { EventEmitter, on } from "node:events";
import type { Redis } from "ioredis";

/**
 * One Redis subscriber connection per web process, shared by every socket: channels are
 * subscribed while at least one listener wants them and dropped when the last one leaves.
 */
export class RedisFanout {
  private readonly emitter = new EventEmitter();
  private readonly counts = new Map<string, number>();

  constructor(private readonly sub: Redis) {
    this.emitter.setMaxListeners(0);
    sub.on("message", (channel: string, message: string) => this.emitter.emit(channel, message));
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>> {
    this.emitter.on(channel, listener);
    const n = (this.counts.get(channel) ?? 0) + 1;
    this.counts.set(channel, n);
    if (n === 1) await this.sub.subscribe(channel);
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      this.emitter.off(channel, listener);
      const left = (this.counts.get(channel) ?? 1) - 1;
      if (left > 0) this.counts.set(channel, left);
      else {
        this.counts.delete(channel);
        await this.sub.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  /**
   * Subscribes now and returns the messages on `channel` until `signal` aborts (the client
   * unsubscribed or disconnected). Messages published after this resolves are buffered until
   * read, so a caller can load the current state first and then follow the stream without a gap.
   */
  async open(channel: string, signal: AbortSignal): Promise<AsyncIterable<string>> {
    const local = new EventEmitter();
    const buffered = on(local, "m", { signal });
    const unsubscribe = await this.subscribe(channel, (m) => local.emit("m", m));
    signal.addEventListener("abort", () => void unsubscribe(), { once: true });
    return (async function* () {
      try {
        for await (const [m] of buffered) yield m as string;
      } catch (e) {
        if (!signal.aborted) throw e;
      } finally {
        await unsubscribe();
      }
    })();
  }

  get channelCount(): number {
    return this.counts.size;
  }
}
