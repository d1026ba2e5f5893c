// Prints the settings table for keeper/README.md (`npm run settings-table -w keeper`),
// or keeper/.env.example with `--env`.
import { envExample, settingsTable } from "./config.js";

console.log(process.argv.includes("--env") ? envExample().trimEnd() : settingsTable());
