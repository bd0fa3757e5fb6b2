/** X's OAuth 2.0 scopes, with the plain-words lines the consent page shows for each. */

export interface ScopeInfo {
  /** "view": something the app can see; "do": something it can do. */
  kind: "view" | "do";
  text: string;
}

export const SCOPES: Record<string, ScopeInfo> = {
  "tweet.read": { kind: "view", text: "Read posts you can see, including posts from protected accounts" },
  "users.read": { kind: "view", text: "See any account you can see, including protected accounts" },
  "bookmark.read": { kind: "view", text: "Read posts you've bookmarked" },
  "follows.read": { kind: "view", text: "See the accounts you follow and the accounts following you" },
  "like.read": { kind: "view", text: "See posts you have liked" },
  "list.read": { kind: "view", text: "See your Lists, including private ones" },
  "block.read": { kind: "view", text: "See the accounts you have blocked" },
  "mute.read": { kind: "view", text: "See the accounts you have muted" },
  "space.read": { kind: "view", text: "See Spaces you have access to" },
  "dm.read": { kind: "view", text: "Read your Direct Messages" },
  "timeline.read": { kind: "view", text: "See Custom Timelines you can see" },
  "broadcast.read": { kind: "view", text: "See your live broadcasts and their chat" },
  "users.email": { kind: "view", text: "See the email address of your account" },
  "tweet.write": { kind: "do", text: "Post and repost for you" },
  "tweet.moderate.write": { kind: "do", text: "Hide and unhide replies to your posts" },
  "bookmark.write": { kind: "do", text: "Add and remove bookmarks for you" },
  "follows.write": { kind: "do", text: "Follow and unfollow accounts for you" },
  "like.write": { kind: "do", text: "Like and unlike posts for you" },
  "list.write": { kind: "do", text: "Create and manage Lists for you" },
  "block.write": { kind: "do", text: "Block and unblock accounts for you" },
  "mute.write": { kind: "do", text: "Mute and unmute accounts for you" },
  "dm.write": { kind: "do", text: "Send and manage Direct Messages for you" },
  "media.write": { kind: "do", text: "Upload photos and videos for you" },
  "broadcast.write": { kind: "do", text: "Manage your live broadcasts and chat for you" },
  "offline.access": { kind: "do", text: "Stay connected to your account until you revoke access" },
};

export function isKnownScope(s: string): boolean {
  return Object.hasOwn(SCOPES, s);
}
