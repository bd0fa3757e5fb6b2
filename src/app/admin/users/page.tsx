import type { Metadata } from "next";
import { adminMetadata } from "~/app/admin/_lib/title";
import { UsersView } from "../_components/users";
import { pathWithQuery, requireAdmin } from "../_lib/guard";

export const generateMetadata = (): Promise<Metadata> => adminMetadata("users");
export const dynamic = "force-dynamic";

type Params = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  await requireAdmin(pathWithQuery("/admin/users", params));
  const offset = Number(one(params.offset) ?? 0);
  return (
    <UsersView
      query={{
        query: (one(params.query) ?? "").trim().slice(0, 100),
        offset: Number.isInteger(offset) && offset >= 0 && offset <= 1_000_000 ? offset : 0,
      }}
    />
  );
}
