"use client";

import { useState } from "react";
import { formatCountOf } from "./format";
import { errorText } from "./library-client";
import { ConfirmDialog } from "./modal";
import { useDrain } from "./use-drain";
import { useXWrites } from "./use-x-writes";

const BUTTON = "rounded-full px-4 py-1.5 text-sm font-semibold disabled:opacity-50";

/**
 * "Reach past the newest 800": a drain keeps everything here, removes the oldest on X so older
 * bookmarks become reachable, and repeats. It changes the person's X account, so it starts only
 * after they confirm, shows its running count, pauses and resumes, and can be undone.
 */
export function DrainPanel() {
  const { preview, status, drainId, start, pause, resume, undo } = useDrain();
  const { status: writes, grantWrite } = useXWrites();
  const [batch, setBatch] = useState(50);
  const [agreed, setAgreed] = useState(false);
  const [confirmUndo, setConfirmUndo] = useState(false);
  const p = preview.data;
  const d = status.data;
  const error = [start, pause, resume, undo].find((m) => m.isError)?.error;

  return (
    <section data-testid="drain-panel" className="mt-8 rounded-xl border border-zinc-200 p-4 text-sm dark:border-zinc-800">
      <h2 className="text-base font-semibold">Reach bookmarks older than X&apos;s newest 800</h2>
      <p className="mt-2 text-zinc-700 dark:text-zinc-300">
        X&apos;s API shows only your newest 800 bookmarks. A drain keeps everything here, then removes the oldest {batch} from X so older
        ones become reachable, and repeats until X returns nothing new. It changes your X account: X allows {p?.writesPerWindow ?? 50}{" "}
        changes per 15 minutes, so it runs slowly in the background. Nothing is removed on X before it is stored here, and every removal is
        on an undo list (bookmarked on X again).
      </p>
      {p && (
        <p className="mt-2 text-zinc-500" data-testid="drain-preview">
          {formatCountOf(p.here, "bookmark")} here, {p.onX.toLocaleString()} of them still bookmarked on X.
        </p>
      )}
      {d && (
        <p className="mt-3 font-medium" data-testid="drain-status" aria-live="polite">
          Drain {d.status.toLowerCase()}: round {d.rounds}, {formatCountOf(d.removedOnX, "bookmark")} removed on X
          {d.queued > 0 ? `, ${d.queued.toLocaleString()} waiting for X` : ""}
          {d.failed > 0 ? `, ${d.failed.toLocaleString()} failed` : ""}.{d.error ? ` ${d.error}` : ""}
        </p>
      )}
      <div className="mt-3 flex flex-wrap items-center gap-3">
        {!d || d.status === "DONE" || d.status === "FAILED" ? (
          writes.data && !writes.data.writeScope ? (
            <button type="button" onClick={grantWrite} className={`${BUTTON} bg-sky-600 text-white`}>
              Log in with X again to allow changes to your X bookmarks
            </button>
          ) : (
            <>
              <label className="flex items-center gap-2">
                Remove per round
                <input
                  type="number"
                  min={1}
                  max={200}
                  value={batch}
                  onChange={(e) => setBatch(Math.min(200, Math.max(1, Number(e.target.value) || 1)))}
                  className="w-20 rounded border border-zinc-300 px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
                />
              </label>
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} data-testid="drain-agree" />I
                understand this removes bookmarks from my X account
              </label>
              <button
                type="button"
                disabled={!agreed || start.isPending}
                onClick={() => start.mutate({ batchSize: batch, confirm: true })}
                className={`${BUTTON} bg-red-600 text-white`}
              >
                Start drain
              </button>
            </>
          )
        ) : d.status === "RUNNING" ? (
          <button type="button" onClick={() => drainId && pause.mutate({ drainId })} className={`${BUTTON} bg-zinc-200 dark:bg-zinc-800`}>
            Pause
          </button>
        ) : (
          <button type="button" onClick={() => drainId && resume.mutate({ drainId })} className={`${BUTTON} bg-sky-600 text-white`}>
            Resume
          </button>
        )}
        {d && d.removedOnX > 0 && d.status !== "RUNNING" && (
          <button type="button" onClick={() => setConfirmUndo(true)} className={`${BUTTON} bg-zinc-200 dark:bg-zinc-800`}>
            Undo: bookmark {d.removedOnX.toLocaleString()} on X again
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className="mt-2 text-red-700 dark:text-red-300">
          {errorText(error)}
        </p>
      )}
      {confirmUndo && drainId && d && (
        <ConfirmDialog
          title={`Bookmark ${formatCountOf(d.removedOnX, "post")} on X again?`}
          confirmLabel="Bookmark on X again"
          onConfirm={() =>
            undo.mutateAsync({ drainId, confirm: true }).then(
              () => setConfirmUndo(false),
              () => undefined,
            )
          }
          onClose={() => setConfirmUndo(false)}
          pending={undo.isPending}
          error={undo.isError ? errorText(undo.error) : null}
        >
          <p>
            Every post this drain removed on X is bookmarked there again (at X&apos;s pace of 50 per 15 minutes). They are all still here.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
