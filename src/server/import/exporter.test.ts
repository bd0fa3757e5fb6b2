import { describe, expect, it } from "vitest";
import { exporterPost, exporterRows } from "./exporter";

const post = (media: object[], profile_image_url: string) =>
  exporterPost.parse({
    id: "1800000000000000001",
    created_at: "2025-03-01 12:00:00 +09:00",
    full_text: "hello",
    media,
    screen_name: "sam",
    name: "Sam",
    profile_image_url,
    user_id: "42",
  });

describe("exporterRows", () => {
  it("keeps media and avatar URLs on X's media hosts", () => {
    const { post: p, author } = exporterRows(
      post(
        [{ type: "photo", original: "https://pbs.twimg.com/media/a.jpg?name=orig", thumbnail: "https://pbs.twimg.com/media/a.jpg" }],
        "https://pbs.twimg.com/profile_images/1/x_normal.jpg",
      ),
    );
    expect(p.media?.[0]).toMatchObject({
      url: "https://pbs.twimg.com/media/a.jpg?name=orig",
      previewUrl: "https://pbs.twimg.com/media/a.jpg",
    });
    expect(author.profileImageUrl).toBe("https://pbs.twimg.com/profile_images/1/x_normal.jpg");
  });

  it("drops URLs elsewhere, so an uploaded file cannot point the media archive at an internal address", () => {
    const { post: p, author } = exporterRows(
      post(
        [
          { type: "photo", original: "http://169.254.169.254/latest/meta-data", thumbnail: "https://evil.example/a.jpg" },
          { type: "video", original: "http://redis:6379/", thumbnail: "javascript:alert(1)" },
        ],
        "http://10.0.0.1/avatar.png",
      ),
    );
    expect(p.media?.map((m) => [m.url, m.previewUrl, m.videoUrl])).toEqual([
      [null, null, null],
      [null, null, null],
    ]);
    expect(author.profileImageUrl).toBeNull();
  });
});
