/**
 * The stream contract's release Wasm, shipped in the package as `stream.wasm` (copied
 * from `artifacts/stream.wasm` when the package is built; `@tributary/sdk/stream.wasm`
 * in the exports map). Loaded only when a deployment needs it.
 */

import { TributaryError } from "./errors.js";

/** The package's `stream.wasm` could not be read (a build without it, or a bundler that dropped it). */
export class StreamWasmUnavailableError extends TributaryError {}

interface NodeFs {
  readFile(path: URL): Promise<Uint8Array>;
}

/** The shipped release Wasm of the stream contract. */
export async function loadStreamWasm(): Promise<Uint8Array> {
  // `src/` and `dist/` sit side by side in the package, so "../stream.wasm" is the
  // package's copy from either.
  const url = new URL("../stream.wasm", import.meta.url);
  try {
    if (url.protocol === "file:") {
      // Node has no file: URLs in fetch(); its built-in fs, reached without an
      // import statement so browser bundles never see a Node module.
      const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
      const fs = proc?.getBuiltinModule?.("node:fs/promises") as NodeFs | undefined;
      if (!fs) throw new Error("no fs in this runtime; pass `wasm` explicitly");
      return new Uint8Array(await fs.readFile(url));
    }
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  } catch (error) {
    throw new StreamWasmUnavailableError(
      `cannot load the shipped stream.wasm from ${url.href}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
