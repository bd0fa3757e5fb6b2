/**
 * Close codes the server's tRPC socket uses beyond the standard ones, shared with the client
 * (4000-4999 are for applications). 4401: like HTTP 401, the session behind the socket ended
 * (logged out, expired, deleted): the client goes to the log-in page instead of reconnecting.
 */
export const SESSION_ENDED_CLOSE_CODE = 4401;
