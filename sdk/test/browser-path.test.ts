// The browser path: nothing under src/ imports a Node built-in or a package outside
// the declared dependencies, and the build type-checks without Node's globals
// (tsconfig.build.json has `types: []`, so `process` or a global `Buffer` fails it).

import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "..", "src");
const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, "..", "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : [],
  );
}

describe("browser path", () => {
  it("imports only relative modules and declared dependencies", () => {
    const allowed = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    for (const f of files(SRC)) {
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
        const spec = m[1]!;
        if (spec.startsWith(".")) continue;
        // A subpath (`zod/mini`) belongs to its package (`zod`, `@scope/name`).
        const pkgName = spec
          .split("/")
          .slice(0, spec.startsWith("@") ? 2 : 1)
          .join("/");
        expect(allowed.has(pkgName), `${f} imports ${spec}`).toBe(true);
      }
      expect(/\bprocess\.|require\(/.test(text), `${f} uses process or require`).toBe(false);
    }
  });

  it("builds without Node's type definitions", () => {
    const build = JSON.parse(
      readFileSync(resolve(import.meta.dirname, "..", "tsconfig.build.json"), "utf8"),
    ) as { compilerOptions: { types: string[] } };
    expect(build.compilerOptions.types).toEqual([]);
  });
});
