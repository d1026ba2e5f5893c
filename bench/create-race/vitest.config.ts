import { defineConfig } from "vitest/config";

// The concurrent-creation benchmark runs on its own (it measures, never asserts):
//   npx vitest run --config bench/create-race/vitest.config.ts
export default defineConfig({
  test: {
    include: ["bench/create-race/**/*.bench.test.ts"],
    testTimeout: 1_800_000,
    hookTimeout: 900_000,
  },
});
