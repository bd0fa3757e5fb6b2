/** A client for the X sandbox's test control API (`/_sandbox/*`, see README). */
export type SandboxControl = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

export function sandboxControl(sandboxUrl: string): SandboxControl {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sandboxUrl}/_sandbox${path}`, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
}
