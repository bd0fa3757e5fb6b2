import type { XConfig } from "./config";
import { XAuthError } from "./errors";
import { xTokenResponse, type XTokenResponse } from "./schemas";

type OAuthEndpoints = Pick<XConfig, "tokenUrl" | "clientId" | "clientSecret" | "timeoutMs">;

/**
 * Exchanges a refresh token for a new pair. X rotates refresh tokens: the one passed in stops
 * working as soon as this succeeds, so the caller must store the answer before anything else.
 */
export async function refreshTokens(config: OAuthEndpoints, refreshToken: string): Promise<XTokenResponse> {
  const basic = Buffer.from(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`).toString("base64");
  let res: Response;
  try {
    res = await fetch(config.tokenUrl, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: config.clientId }),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (e) {
    throw new XAuthError("unavailable", `Could not reach X to refresh the access token: ${(e as Error).message}`);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (res.status >= 500 || res.status === 429) {
    throw new XAuthError("unavailable", `X could not refresh the access token right now (HTTP ${res.status})`);
  }
  const parsed = xTokenResponse.safeParse(body);
  if (!res.ok || !parsed.success) {
    // 400 invalid_request / invalid_grant, 401 unauthorized_client: the grant is gone.
    const description = (body as { error_description?: string } | undefined)?.error_description;
    throw new XAuthError("revoked", `X refused to refresh the access token${description ? `: ${description}` : ""}`);
  }
  return parsed.data;
}
