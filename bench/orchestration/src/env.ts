/** Reads the settings a bench child process is started with (all required; fails together). */
import { readFileSync } from "node:fs";
import type { StreamSpec } from "./scenario.js";

export function requireEnv(names: readonly string[]): Record<string, string> {
  const missing = names.filter((n) => !process.env[n]);
  if (missing.length > 0) {
    process.stderr.write(`missing environment: ${missing.join(", ")}\n`);
    process.exit(2);
  }
  return Object.fromEntries(names.map((n) => [n, process.env[n] as string]));
}

export function readStreams(path: string): StreamSpec[] {
  return JSON.parse(readFileSync(path, "utf8")) as StreamSpec[];
}
