import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Db } from "./db";
import { libraryKeys } from "./library/cache";

export interface ReadRouterOptions {
  /** A replica further behind than this is not read from. */
  maxLagMs: number;
  /** How long one look at the replica's lag (or its failure) is trusted. Default 1 s. */
  lagCheckMs?: number;
  logger?: Logger;
}

/** Replication lag, 0 when the replica has replayed all it received (an idle primary sends nothing). */
const LAG_SQL = `SELECT CASE
  WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000, 0)
END::float8 AS lag_ms`;

/**
 * Where a library read goes (issue 15): the replica (DATABASE_REPLICA_URL) when it is up and
 * close behind, and the user has not written to their library in the last REPLICA_AFTER_WRITE_MS
 * (publishLibraryChange marks that in Redis, for the web's edits and the worker's sync pages
 * alike); the primary otherwise. So a person never reads their library from before their own
 * change, and a replica that is down or lagging only costs the primary some load.
 */
export class ReadRouter {
  private readonly lagCheckMs: number;
  private lagLook: { at: number; fresh: Promise<boolean> } | null = null;

  constructor(
    private readonly primary: Db,
    private readonly replica: Db | null,
    private readonly redis: Redis,
    private readonly opts: ReadRouterOptions,
  ) {
    this.lagCheckMs = opts.lagCheckMs ?? 1_000;
  }

  /** The client for a read of `userId`'s library that may lag a little. */
  async forUser(userId: string): Promise<Db> {
    const replica = this.replica;
    if (!replica) return this.primary;
    const [fresh, wroteLately] = await Promise.all([
      this.replicaFresh(replica),
      // Redis away: we cannot know, so the primary (always right) answers.
      this.redis.exists(libraryKeys.recentWrite(userId)).then(
        (n) => n > 0,
        () => true,
      ),
    ]);
    return fresh && !wroteLately ? replica : this.primary;
  }

  /** Whether the replica answers and is within maxLagMs; looked at once per lagCheckMs, shared by concurrent reads. */
  private replicaFresh(replica: Db): Promise<boolean> {
    const now = Date.now();
    if (this.lagLook && now - this.lagLook.at < this.lagCheckMs) return this.lagLook.fresh;
    const lag = replica.$queryRawUnsafe<{ lag_ms: number }[]>(LAG_SQL);
    // A replica host that does not answer must not hold reads up: give it a moment, then the primary.
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer within 1 s")), 1_000).unref());
    const fresh = Promise.race([lag, timeout])
      .then(([row]) => {
        const lagMs = row?.lag_ms ?? Number.POSITIVE_INFINITY;
        if (lagMs > this.opts.maxLagMs) this.opts.logger?.warn({ lagMs }, "read replica is behind; library reads go to the primary");
        return lagMs <= this.opts.maxLagMs;
      })
      .catch((err: unknown) => {
        this.opts.logger?.warn({ err }, "read replica did not answer; library reads go to the primary");
        return false;
      });
    this.lagLook = { at: now, fresh };
    return fresh;
  }
}
