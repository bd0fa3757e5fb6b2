/**
 * BullMQ names a worker's Redis connection after the Worker's `name` option, and the web reads it
 * back from `queue.getWorkers()` (CLIENT LIST). The name carries the worker process's id and its
 * concurrency, so the admin page can show both without another key to keep alive.
 */
export function workerName(workerId: string, concurrency: number): string {
  // CLIENT SETNAME refuses spaces; `~` never appears in a host name or pid.
  return `${workerId.replace(/[\s~]/g, "_")}~c${concurrency}`;
}

/** The id and concurrency in a worker's connection name (BullMQ's `rawname`: `<prefix>:<queue>:w:<name>`). */
export function parseWorkerName(rawname: string): { workerId: string; concurrency: number | null } {
  const i = rawname.indexOf(":w:");
  const name = i >= 0 ? rawname.slice(i + 3) : "";
  const m = /^(.*)~c(\d+)$/.exec(name);
  if (m) return { workerId: m[1]!, concurrency: Number(m[2]) };
  return { workerId: name || "(unnamed)", concurrency: null };
}
