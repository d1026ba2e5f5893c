// Prints the settings table for keeper/README.md (`npm run settings-table -w keeper`).
import { settingsTable } from "./config.js";

console.log(settingsTable());
