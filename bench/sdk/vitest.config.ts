import { defineConfig } from "vitest/config";

// `npm run bench:sdk`: the SDK's measurements on the devnet, outside `npm test`.
export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["bench/sdk/*.bench.ts"],
    testTimeout: 600_000,
    hookTimeout: 900_000,
  },
});
