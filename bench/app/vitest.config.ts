import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

// `npm run bench:app`: the dApp's measurements (bundle size, time to the incoming list
// with 10,000 streams on the devnet, CPU of the ticking view), outside `npm test`.
const root = new URL("../..", import.meta.url).pathname;
export default defineConfig({
  resolve: { alias: { "@tributary/sdk": resolve(root, "sdk/src/index.ts") } },
  define: { __DEVNET__: "true" },
  test: {
    root,
    include: ["bench/app/*.bench.ts"],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
  },
});
