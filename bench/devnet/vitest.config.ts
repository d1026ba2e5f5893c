import { defineConfig } from "vitest/config";

// The devnet benchmark runs on its own (it measures, never asserts timings):
//   npx vitest run --config bench/devnet/vitest.config.ts
export default defineConfig({
  test: {
    include: ["bench/devnet/**/*.bench.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
