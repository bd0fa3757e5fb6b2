import { z } from "zod";

/** Postgres `integer` (int4): ids of serial columns (Tag, Category) and version counters. */
export const INT4_MAX = 2_147_483_647;

/**
 * A Tag or Category id: positive and within int4, so a huge number is a clear BAD_REQUEST rather
 * than the database's "out of range for type integer" as a 500 (found by fuzzing the router).
 */
export const serialId = z.number().int().positive().max(INT4_MAX, "Not a valid id.");
