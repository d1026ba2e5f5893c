// Checks that the API reference builds from the TSDoc comments with every warning an error
// (broken {@link}s, exported types that are not exported): `npm run docs -w sdk`
// writes it to sdk/docs/api; here it is only validated (--emit none). Type-checking the
// package, its tests and examples is the gate's job (`npm run check`, scripts/check.sh).

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
