/**
 * Most calls the browser's HTTP link puts in one batched request. The server's limit
 * (TRPC_MAX_BATCH_SIZE) may not be lower, or a busy page's batch would be refused.
 */
export const CLIENT_MAX_BATCH_ITEMS = 20;
