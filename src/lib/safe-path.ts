/**
 * A redirect target that stays on this site: a path starting with one "/". "//host" and
 * "/\host" are refused (browsers read both as another host), as are absolute URLs.
 */
export function safeLocalPath(candidate: string | null | undefined, fallback = "/"): string {
  return candidate && /^\/(?![/\\])/.test(candidate) && !/[\r\n]/.test(candidate) ? candidate : fallback;
}
