import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

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
    // `vitest run --coverage` (npm test): line and branch coverage of the SDK and the keeper,
    // measured in-process by V8. scripts/coverage-summary.ts prints it per package and holds
    // the 95% line floor.
    coverage: {
      provider: "v8",
      include: ["sdk/src/**/*.ts", "keeper/src/**/*.ts"],
      exclude: [
        // Process wiring (environment, signals, exit codes): run only as a child process by
        // keeper/test/integration/keeper.test.ts, where in-process V8 coverage cannot see it.
        "keeper/src/main.ts",
        // A two-line CLI that prints settingsTable(), which keeper/test/config.test.ts checks.
        "keeper/src/settings-table.ts",
      ],
      reporter: ["json-summary"],
      reportsDirectory: "coverage/ts",
    },
  },
});
