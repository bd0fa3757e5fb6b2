import { describe, expect, it } from "vitest";
import { goneOnX, type MediaItem } from "~/server/x/map";
import { originalAvatarUrl, originalPhotoUrl, planPost } from "./plan";
import { withArchivedMedia } from "./urls";

const item = (over: Partial<MediaItem>): MediaItem => ({
  key: "3_1",
  type: "photo",
  url: null,
  previewUrl: null,
  width: 10,
  height: 10,
  altText: null,
  durationMs: null,
  videoUrl: null,
  ...over,
});

describe("media plan", () => {
  it("asks X for photos' original size and avatars without the size suffix", () => {
    expect(originalPhotoUrl("https://pbs.twimg.com/media/abc.jpg")).toBe("https://pbs.twimg.com/media/abc.jpg?name=orig");
    expect(originalPhotoUrl("https://pbs.twimg.com/media/abc?format=jpg&name=small")).toBe("https://pbs.twimg.com/media/abc?name=orig");
    expect(originalPhotoUrl("not a url")).toBe("not a url");
    expect(originalAvatarUrl("https://pbs.twimg.com/profile_images/1/a_normal.jpg")).toBe("https://pbs.twimg.com/profile_images/1/a.jpg");
    expect(originalAvatarUrl("https://x.test/a.png")).toBe("https://x.test/a.png");
  });

  it("plans photos, the best MP4 and poster of videos and GIFs, and the avatar; images only or nothing on request", () => {
    const post = {
      id: "9",
      avatarUrl: "https://x.test/u_normal.jpg",
      media: [
        item({ key: "3_1", url: "https://x.test/p.jpg" }),
        item({ key: "7_2", type: "video", previewUrl: "https://x.test/v.jpg", videoUrl: "https://x.test/v-720p.mp4" }),
        item({ key: "16_3", type: "animated_gif", previewUrl: "https://x.test/g.jpg", videoUrl: "https://x.test/g.mp4" }),
      ],
    };
    expect(planPost(post, "ALL").map((a) => `${a.mediaKey}:${a.role}:${a.sourceUrl}`)).toEqual([
      "3_1:photo:https://x.test/p.jpg?name=orig",
      "7_2:poster:https://x.test/v.jpg",
      "7_2:video:https://x.test/v-720p.mp4",
      "16_3:poster:https://x.test/g.jpg",
      "16_3:video:https://x.test/g.mp4",
      "avatar:avatar:https://x.test/u.jpg",
    ]);
    expect(planPost(post, "IMAGES").map((a) => a.role)).toEqual(["photo", "poster", "poster", "avatar"]);
    expect(planPost(post, "OFF")).toEqual([]);
    expect(planPost({ id: "9", avatarUrl: null, media: null }, "ALL")).toEqual([]);
  });

  it("shows archived copies where stored and X's URLs elsewhere", () => {
    const a = "a".repeat(64);
    const t = "b".repeat(64);
    const v = "c".repeat(64);
    const media = [
      item({ key: "3_1", url: "x1", previewUrl: "x1" }),
      item({ key: "3_2", url: "x2", previewUrl: "x2" }),
      item({ key: "7_3", type: "video", previewUrl: "xp", videoUrl: "xv" }),
    ];
    const out = withArchivedMedia(media, "xa", { "3_1:photo": [a, t], "7_3:video": [v, null] });
    expect(out.media.map((m) => [m.url, m.previewUrl, m.videoUrl])).toEqual([
      [`/api/media/${a}`, `/api/media/${t}`, null],
      ["x2", "x2", null],
      [null, "xp", `/api/media/${v}`],
    ]);
    expect(out.avatarUrl).toBe("xa");
    expect(withArchivedMedia(media, "xa", null).media).toBe(media);
  });

  it("reads posts X reports deleted from errors[] (not protected ones, not other resources)", () => {
    expect(
      goneOnX([
        { resource_id: "1", type: "https://api.x.com/2/problems/resource-not-found", resource_type: "tweet" },
        { resource_id: "2", type: "https://api.x.com/2/problems/not-authorized-for-resource", resource_type: "tweet" },
        { value: "3", title: "Not Found Error" },
        { resource_id: "4", type: "https://api.x.com/2/problems/resource-not-found", resource_type: "user" },
        { resource_id: "../x", type: "https://api.x.com/2/problems/resource-not-found" },
      ]),
    ).toEqual(["1", "3"]);
    expect(goneOnX(undefined)).toEqual([]);
  });
});
