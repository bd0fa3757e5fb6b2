/** Display helpers shared by the library's components. */

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  if (h > 0) return `${h}:${String(m % 60).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  return `${m}:${String(s % 60).padStart(2, "0")}`;
}

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
export function formatRelative(date: Date | string, now = Date.now()): string {
  const d = typeof date === "string" ? new Date(date) : date;
  const diff = (d.getTime() - now) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return "just now";
  if (abs < 3600) return rtf.format(Math.round(diff / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), "hour");
  if (abs < 86400 * 30) return rtf.format(Math.round(diff / 86400), "day");
  return formatDate(d);
}

export function formatDate(date: Date | string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(new Date(date));
}

export function formatDateTime(date: Date | string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(date));
}

export function formatClock(date: Date | string): string {
  return new Intl.DateTimeFormat(undefined, { timeStyle: "short" }).format(new Date(date));
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat(undefined, { notation: n >= 10_000 ? "compact" : "standard" }).format(n);
}

/** "1 API call", "1,204 posts read": a count with its word, singular or plural. */
export function formatCountOf(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A length of time in words, rounded: "40 seconds", "15 minutes", "2 hours 5 minutes". */
export function formatSpan(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return formatCountOf(s, "second");
  const m = Math.round(s / 60);
  if (m < 60) return formatCountOf(m, "minute");
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? formatCountOf(h, "hour") : `${formatCountOf(h, "hour")} ${formatCountOf(m % 60, "minute")}`;
}

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** An estimated cost in US dollars: "≈ $0.40", "< $0.01" for a tiny non-zero amount, "$0.00" for none. */
export function formatUsd(amount: number): string {
  if (amount <= 0) return usd.format(0);
  if (amount < 0.01) return `< ${usd.format(0.01)}`;
  return `≈ ${usd.format(amount)}`;
}

/** A freshness window: "every 15 min", "every hour", "every 3 hours", "every day". */
export function formatEvery(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "every day" : `every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "every hour" : `every ${minutes / 60} hours`;
  return `every ${minutes} min`;
}

/** 1,234,567 → "1.2 MB" (decimal units, as disks and browsers show them). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n;
  let i = -1;
  do {
    v /= 1000;
    i++;
  } while (v >= 1000 && i < units.length - 1);
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}
