"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { useToast } from "~/app/_components/toast";
import { useTRPC } from "~/trpc/react";
import { errorText, jobHref, jobsHref, userLabel, type UserRow } from "./admin-lib";
import {
  Badge,
  BTN,
  ConfirmAction,
  Empty,
  ErrorNotice,
  FIELD_CLASS,
  PageTitle,
  Pager,
  SkeletonRows,
  UserStatusBadge,
  useNow,
  When,
} from "./ui";

const LIMIT = 25;

export interface UsersQuery {
  query: string;
  offset: number;
}

function usersHref(q: UsersQuery): string {
  const p = new URLSearchParams();
  if (q.query) p.set("query", q.query);
  if (q.offset) p.set("offset", String(q.offset));
  const s = p.toString();
  return s ? `/admin/users?${s}` : "/admin/users";
}

export function UsersView({ query }: { query: UsersQuery }) {
  const trpc = useTRPC();
  const router = useRouter();
  const now = useNow(15_000);
  const users = useQuery({
    ...trpc.admin.users.queryOptions({ query: query.query || undefined, offset: query.offset, limit: LIMIT }),
    placeholderData: keepPreviousData,
  });
  const [syncing, setSyncing] = useState<UserRow | null>(null);
  const search = useCallback((q: string) => router.replace(usersHref({ query: q, offset: 0 }), { scroll: false }), [router]);

  return (
    <>
      <PageTitle title="Users">Everyone who has logged in, newest first, with their library and how their syncing stands.</PageTitle>
      <SearchBox initial={query.query} onChange={search} />

      {users.isPending && <SkeletonRows rows={6} label="Loading users" />}
      {users.isError && !users.data && (
        <ErrorNotice what="the users" message={errorText(users.error)} onRetry={() => void users.refetch()} />
      )}
      {users.data && users.data.items.length === 0 && (
        <Empty testId="no-users">{query.query ? `No user matches “${query.query}”.` : "Nobody has logged in yet."}</Empty>
      )}
      {users.data && users.data.items.length > 0 && (
        <>
          <div
            className={`overflow-x-auto rounded-2xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900 ${users.isPlaceholderData ? "opacity-60" : ""}`}
          >
            <table className="w-full text-left text-sm" data-testid="users-table">
              <thead className="border-b border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    User
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Role
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Bookmarks
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Last sync
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {users.data.items.map((u) => (
                  <tr key={u.id} className="align-top" data-testid="user-row" data-handle={u.handle ?? ""} data-status={u.status}>
                    <td className="px-3 py-2">
                      <span className="flex items-center gap-2">
                        {u.image ? (
                          <img src={u.image} alt="" className="size-7 rounded-full bg-zinc-200" />
                        ) : (
                          <span className="size-7 rounded-full bg-zinc-200 dark:bg-zinc-800" />
                        )}
                        <span className="min-w-0">
                          <Link
                            href={jobsHref({ queue: "sync", state: "all", user: u.handle ? `@${u.handle}` : u.id })}
                            title="This user’s sync jobs"
                            className="font-medium text-sky-700 hover:underline dark:text-sky-400"
                          >
                            {userLabel(u)}
                          </Link>
                          {u.name && <span className="block truncate text-xs text-zinc-500">{u.name}</span>}
                        </span>
                      </span>
                    </td>
                    <td className="px-3 py-2">
                      {u.role === "ADMIN" ? <Badge tone="violet">admin</Badge> : <span className="text-xs text-zinc-500">user</span>}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums" data-testid="user-bookmarks">
                      {u.bookmarkCount.toLocaleString()}
                    </td>
                    <td className="px-3 py-2 text-xs">
                      <When date={u.lastSyncedAt} now={now} empty="never" />
                      {u.latestRun && u.latestRun.status !== "SUCCEEDED" && (
                        <span className="block text-zinc-500">
                          latest: {u.latestRun.status.toLowerCase()}{" "}
                          <Link href={jobHref("sync", u.latestRun.id)} className="text-sky-700 hover:underline dark:text-sky-400">
                            job
                          </Link>
                        </span>
                      )}
                    </td>
                    <td className="px-3 py-2">
                      <span title={u.latestRun?.error ?? undefined}>
                        <UserStatusBadge status={u.status} />
                      </span>
                      {u.status === "waiting_for_x" && u.latestRun?.waitingUntil && (
                        <span className="mt-0.5 block text-xs text-zinc-500">
                          until <When date={u.latestRun.waitingUntil} now={now} />
                        </span>
                      )}
                    </td>
                    <td className="px-3 py-2 text-right">
                      <button
                        type="button"
                        className={BTN.small}
                        onClick={() => setSyncing(u)}
                        data-testid="sync-user"
                        aria-label={`Sync now: ${userLabel(u)}`}
                      >
                        Sync now
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            offset={users.data.offset}
            limit={users.data.limit}
            total={users.data.total}
            busy={users.isFetching}
            onOffset={(o) => router.push(usersHref({ query: query.query, offset: o }), { scroll: false })}
          />
        </>
      )}
      {syncing && <SyncDialog user={syncing} onClose={() => setSyncing(null)} />}
    </>
  );
}

/** Searches as one types (after a short pause); Esc clears. */
function SearchBox({ initial, onChange }: { initial: string; onChange: (q: string) => void }) {
  const [value, setValue] = useState(initial);
  const last = useRef(initial);
  const id = useId();
  useEffect(() => {
    const v = value.trim();
    if (v === last.current) return;
    const t = setTimeout(() => {
      last.current = v;
      onChange(v);
    }, 300);
    return () => clearTimeout(t);
  }, [value, onChange]);
  return (
    <form role="search" className="mb-4 flex items-center gap-2" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor={id} className="sr-only">
        Search users
      </label>
      <input
        id={id}
        type="search"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") setValue("");
        }}
        placeholder="Search by @handle, name or id"
        maxLength={100}
        data-testid="user-search"
        className={`${FIELD_CLASS} w-72`}
      />
    </form>
  );
}

function SyncDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const router = useRouter();
  const [mode, setMode] = useState<"incremental" | "full">("incremental");
  const id = useId();
  const start = useMutation(
    trpc.admin.startSync.mutationOptions({
      onSuccess: (r) => {
        onClose();
        toast({
          text: r.created
            ? `Sync started for ${userLabel(user)} (${r.mode}).`
            : `${userLabel(user)} already had a sync open; nothing new was started.`,
          action: { label: "Open job", run: () => router.push(jobHref("sync", r.jobId)) },
        });
        void queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() });
      },
    }),
  );
  return (
    <ConfirmAction
      title={`Sync ${userLabel(user)} now?`}
      confirmLabel="Start sync"
      onConfirm={() => start.mutate({ userId: user.id, mode })}
      onClose={onClose}
      pending={start.isPending}
      error={errorText(start.error)}
      extra={
        <fieldset className="mt-4 flex gap-4 text-sm">
          <legend className="mb-1 text-xs text-zinc-500">Kind of sync</legend>
          {(["incremental", "full"] as const).map((m) => (
            <label key={m} className="inline-flex items-center gap-1.5">
              <input
                type="radio"
                name={`${id}-mode`}
                value={m}
                checked={mode === m}
                onChange={() => setMode(m)}
                className="accent-sky-600"
              />
              {m === "incremental" ? "New bookmarks only" : "Full (everything again)"}
            </label>
          ))}
        </fieldset>
      }
    >
      <p>Starts a sync as if they had pressed Sync themselves. If they already have one queued or running, that one is kept.</p>
      {user.status === "needs_relogin" && (
        <p className="text-amber-800 dark:text-amber-200">Their X login has expired: the server will refuse until they log in again.</p>
      )}
    </ConfirmAction>
  );
}
