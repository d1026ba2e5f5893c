// The SDK's startup cost in a browser app: a Vite production build of a minimal dApp
// entry that imports what a recipient page uses (StreamClient, the network presets,
// FreighterSigner, the accrual mirror, a schedule builder) from the built package,
// exactly as an app resolves `@tributary/sdk`. Startup = the entry chunk plus every
// chunk it imports statically; lazily imported chunks (freighter-api) load later.
// Sizes are gzipped (zlib, level 9). Writes the "Bundle" section of
// docs/benchmarks/sdk.md. Needs sdk/dist (npm run build -w sdk).
//
//   node bench/sdk/bundle.ts
//   SDK_ENTRY=/path/to/other/sdk/dist/index.js node bench/sdk/bundle.ts   # another build, not written

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";

const ROOT = resolve(import.meta.dirname, "..", "..");
const REPORT = resolve(ROOT, "docs", "benchmarks", "sdk.md");
const START = "<!-- bundle:start -->";
const END = "<!-- bundle:end -->";

const ENTRY = `
import { FreighterSigner, StreamClient, amountsAt, monthly, network } from "@tributary/sdk";
const client = new StreamClient({ network: network("testnet"), contractId: "CDLZFC3SYJYDZT7K67VZ75HPJVIEUVNIXF47ZG2FB2RMQQVU2HHGCYSC", signer: new FreighterSigner(network("testnet").passphrase) });
const { stream, tranches, closeTs } = await client.snapshot(1n);
document.body.textContent = String(amountsAt(stream, closeTs, tranches).withdrawable);
console.log(monthly({ start: 0n, months: 1, amountPerMonth: 1n }));
`;

interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

async function measure(): Promise<{ startup: number; lazy: number; chunks: [string, number][] }> {
  // Inside the repository's node_modules, so `@tributary/sdk` resolves as in an app.
  const dir = mkdtempSync(join(ROOT, "node_modules", ".sdk-bundle-"));
  try {
    writeFileSync(join(dir, "index.html"), '<script type="module" src="./main.js"></script>');
    writeFileSync(join(dir, "main.js"), ENTRY);
    await build({
      root: dir,
      configFile: false,
      logLevel: "silent",
      build: { outDir: join(dir, "out"), manifest: true, target: "es2022" },
      cacheDir: join(dir, ".vite"),
      ...(process.env.SDK_ENTRY ? { resolve: { alias: { "@tributary/sdk": process.env.SDK_ENTRY } } } : {}),
    });
    const manifest = JSON.parse(readFileSync(join(dir, "out", ".vite", "manifest.json"), "utf8")) as Record<
      string,
      Chunk
    >;
    const gz = (file: string) => gzipSync(readFileSync(join(dir, "out", file)), { level: 9 }).length;
    const entry = Object.entries(manifest).find(([, c]) => c.isEntry)!;
    const startupKeys = new Set<string>();
    const walk = (key: string) => {
      if (startupKeys.has(key)) return;
      startupKeys.add(key);
      for (const k of manifest[key]?.imports ?? []) walk(k);
    };
    walk(entry[0]);
    let startup = 0;
    let lazy = 0;
    const chunks: [string, number][] = [];
    for (const [key, c] of Object.entries(manifest)) {
      if (!c.file.endsWith(".js")) continue;
      const size = gz(c.file);
      chunks.push([`${c.file}${startupKeys.has(key) ? "" : " (lazy)"}`, size]);
      if (startupKeys.has(key)) startup += size;
      else lazy += size;
    }
    return { startup, lazy, chunks };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
const r = await measure();
console.log(`startup ${kB(r.startup)} gzipped, lazy ${kB(r.lazy)}`);
for (const [f, n] of r.chunks) console.log(`  ${f}: ${kB(n)}`);
const section = `${START}
## Bundle: the SDK's startup cost in a browser app

Written by \`node bench/sdk/bundle.ts\` on ${new Date().toISOString().slice(0, 10)}: a Vite ${(await import("vite")).version}
production build of a minimal dApp entry (StreamClient, network presets, FreighterSigner, the
mirror, a schedule builder) importing the built package. Gzipped (level 9); startup is the entry
chunk plus its static imports (stellar-sdk included), lazy chunks load on first use.

| | gzipped |
| --- | ---: |
| startup | ${kB(r.startup)} |
| lazy (loaded on first use) | ${kB(r.lazy)} |

${r.chunks.map(([f, n]) => `- \`${f.replace(/-[\w-]{8}\.js/, ".js")}\`: ${kB(n)}`).join("\n")}
${END}`;
if (process.env.SDK_ENTRY) process.exit(0);
let report = readFileSync(REPORT, "utf8");
report = report.includes(START)
  ? report.replace(new RegExp(`${START}[\\s\\S]*${END}`), section)
  : `${report.trimEnd()}\n\n${section}\n`;
writeFileSync(REPORT, report);
