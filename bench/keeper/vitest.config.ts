import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

// The keeper benchmark runs on its own (it measures, never asserts timings):
//   KEEPER_BENCH_SIZES=1000,10000 npx vitest run --config bench/keeper/vitest.config.ts
export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^@tributary\/sdk\/devnet$/,
        replacement: resolve(import.meta.dirname, "../../sdk/src/devnet/index.ts"),
      },
      { find: /^@tributary\/sdk$/, replacement: resolve(import.meta.dirname, "../../sdk/src/index.ts") },
    ],
  },
  test: {
    include: ["bench/keeper/**/*.bench.test.ts"],
    testTimeout: 7_200_000,
    hookTimeout: 600_000,
  },
});
