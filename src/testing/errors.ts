import { TRPCError } from "@trpc/server";
import { expect } from "vitest";

/** The TRPCError a call rejects with (the test fails if it resolves or throws something else). */
export async function errorOf(p: Promise<unknown>): Promise<TRPCError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  return e as TRPCError;
}
