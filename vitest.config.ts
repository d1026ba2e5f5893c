import { defineConfig } from "vitest/config";

// One runner for every TypeScript suite: unit tests under <package>/test/,
// cross-component tests under test/. Integration tests start their own devnet.
export default defineConfig({
  test: {
    include: ["**/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
