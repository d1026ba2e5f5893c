// Prints line and branch coverage per package, then what is excluded and why (once), and fails
// when the contract, the SDK or the keeper falls below the line floor. Reads what `npm test` (or
// `npm run coverage`) just measured:
//   coverage/rust.json                  llvm-cov's export summary of the contract (scripts/coverage-contract.sh)
//   coverage/ts/coverage-summary.json   vitest's V8 summary of sdk/src, keeper/src and app/src
// Usage: node scripts/coverage-summary.ts [ROOT]

import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import exclusions from "./coverage-exclusions.json" with { type: "json" };

/** The bar for lines, in percent, of the packages that have one. */
const LINE_FLOOR = 95;
/** Measured and printed; no floor (its e2e code runs in Chromium, outside this process's V8 coverage). */
const NO_FLOOR = new Set(["app"]);

interface Totals {
  lines: { covered: number; total: number };
  branches: { covered: number; total: number };
}

const root = resolve(process.argv[2] ?? join(import.meta.dirname, ".."));

function pct(c: { covered: number; total: number }): string {
  return c.total === 0 ? "n/a" : `${((100 * c.covered) / c.total).toFixed(2)}%`;
}

function percent(c: { covered: number; total: number }): number {
  return c.total === 0 ? 100 : (100 * c.covered) / c.total;
}

function add(into: Totals, t: Totals): void {
  into.lines.covered += t.lines.covered;
  into.lines.total += t.lines.total;
  into.branches.covered += t.branches.covered;
  into.branches.total += t.branches.total;
}

function empty(): Totals {
  return { lines: { covered: 0, total: 0 }, branches: { covered: 0, total: 0 } };
}

/** The contract: `llvm-cov export -summary-only` (scripts/coverage-contract.sh). */
function rust(): Totals | null {
  const file = join(root, "coverage", "rust.json");
  if (!existsSync(file)) return null;
  const json = JSON.parse(readFileSync(file, "utf8")) as {
    data: {
      totals: { lines: { count: number; covered: number }; branches: { count: number; covered: number } };
    }[];
  };
  const t = json.data[0]?.totals;
  if (!t) return null;
  return {
    lines: { covered: t.lines.covered, total: t.lines.count },
    branches: { covered: t.branches.covered, total: t.branches.count },
  };
}

/** The TypeScript packages, from vitest's json-summary (per file), grouped by folder. */
function typescript(): Map<string, Totals> {
  const out = new Map<string, Totals>();
  const file = join(root, "coverage", "ts", "coverage-summary.json");
  if (!existsSync(file)) return out;
  const json = JSON.parse(readFileSync(file, "utf8")) as Record<
    string,
    { lines: { covered: number; total: number }; branches: { covered: number; total: number } }
  >;
  for (const [path, s] of Object.entries(json)) {
    if (path === "total") continue;
    const pkg = relative(root, path).split("/")[0] ?? path;
    const t = out.get(pkg) ?? empty();
    add(t, { lines: s.lines, branches: s.branches });
    out.set(pkg, t);
  }
  return out;
}

const rows: [string, Totals | null][] = [["contract", rust()]];
const ts = typescript();
rows.push(
  ["sdk", ts.get("sdk") ?? null],
  ["keeper", ts.get("keeper") ?? null],
  ["app", ts.get("app") ?? null],
);

console.log(`\ncoverage     lines                 branches              (floor: ${LINE_FLOOR}% of lines)`);
let failed = false;
for (const [name, t] of rows) {
  const floor = !NO_FLOOR.has(name);
  if (!t) {
    console.log(`${name.padEnd(12)} not measured`);
    failed ||= floor;
    continue;
  }
  const ok = !floor || percent(t.lines) >= LINE_FLOOR;
  failed ||= !ok;
  console.log(
    `${name.padEnd(12)} ${pct(t.lines).padStart(7)} ${`${t.lines.covered}/${t.lines.total}`.padEnd(13)}` +
      ` ${pct(t.branches).padStart(7)} ${`${t.branches.covered}/${t.branches.total}`.padEnd(13)}` +
      (floor ? (ok ? "" : "  BELOW THE FLOOR") : "  (no floor)"),
  );
}
console.log("\nnot measured (scripts/coverage-exclusions.json):");
for (const e of [...exclusions.rust, ...exclusions.typescript]) console.log(`  ${e.pattern}: ${e.reason}`);
if (failed) {
  console.error(`\ncoverage: a package is below ${LINE_FLOOR}% of lines or was not measured`);
  process.exit(1);
}
