// Type-checks the package, and checks that the API reference builds from the TSDoc comments with every warning an error
// (broken {@link}s, exported types that are not exported): `npm run docs -w sdk`
// writes it to sdk/docs/api; here it is only validated (--emit none).

import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const SDK = resolve(import.meta.dirname, "..");

describe("API reference", () => {
  it("typedoc validates the TSDoc with warnings as errors", async () => {
    const bin = resolve(SDK, "..", "node_modules", "typedoc", "bin", "typedoc");
    const { stdout, stderr } = await promisify(execFile)(
      "nice",
      ["-n", "5", process.execPath, bin, "--emit", "none"],
      { cwd: SDK, timeout: 120_000 },
    );
    expect(`${stdout}${stderr}`).not.toMatch(/warning|error/i);
  }, 120_000);
});

describe("types", () => {
  it("src, tests and examples type-check (vitest itself does not)", async () => {
    const tsc = resolve(SDK, "..", "node_modules", "typescript", "bin", "tsc");
    const r = await promisify(execFile)(
      "nice",
      ["-n", "5", process.execPath, tsc, "-p", resolve(SDK, "tsconfig.json")],
      { cwd: SDK, timeout: 120_000 },
    ).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? String(e), stderr: "" }));
    expect(r.stdout).toBe("");
  }, 120_000);
});
