// Copies the release contract (artifacts/stream.wasm, built by scripts/build-contract.sh)
// into the package as sdk/stream.wasm, which `deployStreamContract` loads by default and
// `npm pack` ships. Run by the SDK's build and by build-contract.sh; the copy is not
// committed (one binary, built from source).
import { copyFileSync, existsSync } from "node:fs";
import { resolve } from "node:path";

const from = resolve(import.meta.dirname, "..", "..", "artifacts", "stream.wasm");
const to = resolve(import.meta.dirname, "..", "stream.wasm");
if (!existsSync(from)) {
  console.error(`copy-wasm: ${from} is missing; build it with scripts/build-contract.sh (npm run build)`);
  process.exit(1);
}
copyFileSync(from, to);
