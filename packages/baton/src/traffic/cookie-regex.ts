/**
 * Meshes without a cookie matcher match the Cookie header by regular expression. The route is
 * "cookie NAME=always", ingress-nginx's canary-by-cookie convention, so all routers agree.
 */
export function cookieRegex(name: string): string {
  return `(^|.*; ?)${escapeRegex(name)}=always(;.*|$)`;
}

/** The cookie name back from a regex baton wrote, or undefined for anything else. */
export function parseCookieRegex(regex: string): string | undefined {
  const m = /^\(\^\|\.\*; \?\)(.+)=always\(;\.\*\|\$\)$/.exec(regex);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : undefined;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
