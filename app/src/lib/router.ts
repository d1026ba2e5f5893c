/**
 * A four-route history router (`/`, `/outgoing`, `/create`, `/stream/<id>`): the app
 * needs no nested routes or loaders, so a small hook replaces a router dependency.
 */
import { useEffect, useState } from "react";

export type Route =
  | { name: "incoming" }
  | { name: "outgoing" }
  | { name: "create" }
  | { name: "stream"; id: bigint }
  | { name: "notFound"; path: string };

/** The route a path names. */
export function matchRoute(path: string): Route {
  const p = path.replace(/\/+$/, "") || "/";
  if (p === "/") return { name: "incoming" };
  if (p === "/outgoing") return { name: "outgoing" };
  if (p === "/create") return { name: "create" };
  const m = /^\/stream\/(\d{1,20})$/.exec(p);
  if (m && BigInt(m[1]!) > 0n && BigInt(m[1]!) < 1n << 64n) return { name: "stream", id: BigInt(m[1]!) };
  return { name: "notFound", path };
}

/** Goes to `path` without a page load. */
export function navigate(path: string): void {
  window.history.pushState(null, "", path);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

/** The current route, updated on navigation. */
export function useRoute(): Route {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const on = () => setPath(window.location.pathname);
    window.addEventListener("popstate", on);
    return () => window.removeEventListener("popstate", on);
  }, []);
  return matchRoute(path);
}
