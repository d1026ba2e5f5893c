import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

// The container check (scripts/container-check.sh builds the image, then runs this).
export default defineConfig({
  resolve: { alias: { "@tributary/sdk": resolve(import.meta.dirname, "../../../sdk/src/index.ts") } },
  test: {
    include: ["keeper/test/container/*.check.ts"],
    root: resolve(import.meta.dirname, "../../.."),
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
