// Tests that run the real keeper process need keeper/dist and sdk/dist built from
// the sources at hand: rebuild them (tsc) when any source is newer than the output.

import { execFile } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const run = promisify(execFile);

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function mtime(p: string): number {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

let built: Promise<void> | undefined;

export function ensureKeeperBuilt(): Promise<void> {
  built ??= (async () => {
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    if (newest(join(ROOT, "sdk", "src")) > mtime(join(ROOT, "sdk", "dist", "index.js")))
      await run(process.execPath, [tsc, "-p", join(ROOT, "sdk", "tsconfig.build.json")]);
    if (
      Math.max(newest(join(ROOT, "keeper", "src")), mtime(join(ROOT, "sdk", "dist", "index.js"))) >
      mtime(join(ROOT, "keeper", "dist", "main.js"))
    )
      await run(process.execPath, [tsc, "-p", join(ROOT, "keeper", "tsconfig.build.json")]);
  })();
  return built;
}
