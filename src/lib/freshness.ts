/**
 * Choices for a user's freshness window (minutes between scheduled syncs; null turns them off).
 * Dependency-free, so the browser and the server share one list.
 */
export const FRESHNESS_CHOICES = [15, 30, 60, 180, 360, 720, 1440] as const;
export const DEFAULT_FRESHNESS_MINUTES = 60;
