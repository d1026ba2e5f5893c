/**
 * Prints ADR 0004's cost tables from the pure model, without running the experiment:
 * `cd bench/orchestration && npx tsc -p tsconfig.json && node dist/cost-print.js`.
 * Use it after changing a price or a measured fee in `cost.ts`.
 */
import { renderCostTables } from "./cost-report.js";

process.stdout.write(`${renderCostTables().join("\n")}\n`);
