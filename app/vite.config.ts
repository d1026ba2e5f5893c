import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `VITE_NETWORK` picks the network at build time (devnet by default). `__DEVNET__` is a
// compile-time constant, so a testnet or mainnet build drops the devnet test wallet.
// The SDK is bundled from its source (same commit), like the keeper's tests use it.
export default defineConfig(({ mode }) => {
  const net = process.env.VITE_NETWORK ?? (mode === "production" ? "devnet" : mode);
  return {
    root: import.meta.dirname,
    plugins: [react()],
    define: { __DEVNET__: JSON.stringify(net === "devnet") },
    resolve: { alias: { "@tributary/sdk": resolve(import.meta.dirname, "..", "sdk", "src", "index.ts") } },
    build: {
      outDir: process.env.APP_OUT_DIR ?? "dist",
      emptyOutDir: true,
      sourcemap: false,
      chunkSizeWarningLimit: 2000,
    },
  };
});
