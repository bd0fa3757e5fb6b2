/**
 * Reads a sample from Prometheus exposition text: the value of `name` whose labels include all of
 * `labels` (other labels ignored), or undefined when there is no such line. With several matching
 * lines, their sum.
 */
export function promSample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let found: number | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = new Map<string, string>();
    for (const l of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) have.set(l[1]!, l[2]!);
    if (!Object.entries(labels).every(([k, v]) => have.get(k) === v)) continue;
    found = (found ?? 0) + Number(m[3]);
  }
  return found;
}

/** Whether the exposition declares the metric (its `# TYPE` line), samples or not. */
export function promDeclares(text: string, name: string): boolean {
  return new RegExp(`^# TYPE ${name} `, "m").test(text);
}
