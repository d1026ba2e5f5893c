// A tiny static server for the built dApp: app/dist with a single-page fallback (any
// path without a file serves index.html, so /stream/<id> links work), plus
// `devnet.json` from a file or a function (the devnet's addresses, which change with
// every `npm start`). Used by scripts/start.sh, the e2e tests and the benchmark.
//
//   node app/scripts/serve.ts --port 5173 --demo ~/.cache/tributary/devnet-demo.json --streams ~/.cache/tributary/demo-streams.json
import { readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { devnetJson } from "./devnet-json.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

export interface AppServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function serveApp(opts: {
  dist: string;
  port?: number;
  host?: string;
  devnetJson: () => string;
}): Promise<AppServer> {
  const root = resolve(opts.dist);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (path === "/devnet.json") {
      try {
        res
          .writeHead(200, { "content-type": TYPES[".json"], "cache-control": "no-store" })
          .end(opts.devnetJson());
      } catch (e) {
        res
          .writeHead(503, { "content-type": "text/plain" })
          .end(`devnet.json unavailable: ${(e as Error).message}`);
      }
      return;
    }
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    try {
      if (!statSync(file).isFile()) throw new Error("dir");
    } catch {
      file = join(root, "index.html");
    }
    const immutable = file.includes(`${join(root, "assets")}`);
    res
      .writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      })
      .end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", r));
  const url = `http://${opts.host ?? "127.0.0.1"}:${(server.address() as AddressInfo).port}`;
  return { url, server, close: () => new Promise((r) => server.close(() => r())) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "5173" },
      dist: { type: "string", default: resolve(import.meta.dirname, "..", "dist") },
      demo: { type: "string" },
      streams: { type: "string" },
    },
  });
  if (!values.demo) throw new Error("--demo <devnet-demo.json> is required");
  const demo = values.demo;
  const s = await serveApp({
    dist: values.dist!,
    port: Number(values.port),
    devnetJson: () => devnetJson(demo, values.streams),
  });
  console.log(`dApp ready ${s.url}`);
}
