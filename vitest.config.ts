import { resolve } from "node:path";
import { defineConfig } from "vitest/config";
import exclusions from "./scripts/coverage-exclusions.json" with { type: "json" };

// One runner for every TypeScript suite: unit tests under <package>/test/,
// cross-component tests under test/. Integration tests start their own devnet.
// The keeper's tests resolve `@tributary/sdk` to the SDK's source at the same
// commit, so they never depend on a dist/ that another suite is rebuilding; the
// SDK's own examples test checks the built package.
const common = {
  testTimeout: 60_000,
  hookTimeout: 180_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...common,
          name: "main",
          include: ["**/test/**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/dist/**", "keeper/**", "app/**"],
        },
      },
      {
        resolve: {
          alias: {
            "@tributary/sdk/devnet": resolve(import.meta.dirname, "sdk/src/devnet/index.ts"),
            "@tributary/sdk": resolve(import.meta.dirname, "sdk/src/index.ts"),
          },
        },
        test: { ...common, name: "keeper", include: ["keeper/test/**/*.test.ts"] },
      },
      // The dApp: unit tests of its pure logic, and e2e in headless Chromium (app/test/e2e).
      {
        resolve: { alias: { "@tributary/sdk": resolve(import.meta.dirname, "sdk/src/index.ts") } },
        define: { __DEVNET__: "true" },
        test: { ...common, name: "app", include: ["app/test/**/*.test.ts"] },
      },
    ],
    // `vitest run --coverage` (npm test, npm run coverage): line and branch coverage measured
    // in-process by V8. scripts/coverage-summary.ts prints it per package and holds the floors
    // (SDK and keeper; the dApp is measured without one: its e2e code runs in Chromium, where V8
    // coverage of this process cannot see it). Exclusions and their reasons: scripts/coverage-exclusions.json.
    coverage: {
      provider: "v8",
      include: ["sdk/src/**/*.ts", "keeper/src/**/*.ts", "app/src/**/*.{ts,tsx}"],
      exclude: exclusions.typescript.map((e) => e.pattern),
      reporter: ["json-summary"],
      reportsDirectory: "coverage/ts",
    },
  },
});
