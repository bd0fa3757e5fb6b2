import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import { S3MediaStore } from "~/server/media/store-s3";

/** A real S3-compatible server (s3rver, on a free port, files in a temp dir) and a store on it. */
export async function startS3Store(bucket = "xb-media-test") {
  const directory = await mkdtemp(join(tmpdir(), "xb-s3rver-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const store = new S3MediaStore({
    bucket,
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  return {
    store,
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      store.client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
