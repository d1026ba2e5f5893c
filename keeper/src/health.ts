// /healthz (the process is alive), /readyz (runs are making progress) and /metrics
// (Prometheus) on their own port, for the orchestrator's probes and the scraper.

import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

export interface HealthState {
  /** When a run last made progress (ms); undefined before the first. */
  lastProgressMs?: number;
  lastRunAt?: string;
  lastError?: string;
}

/** Ready while a run made progress within `stallAfterMs`. */
export function isReady(s: HealthState, nowMs: number, stallAfterMs: number): boolean {
  return s.lastProgressMs !== undefined && nowMs - s.lastProgressMs <= stallAfterMs;
}

export function startHealthServer(
  port: number,
  state: () => HealthState,
  registry: Registry,
  stallAfterMs: number,
): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/healthz") send(200, { ok: true });
    else if (req.url === "/readyz") {
      const s = state();
      send(isReady(s, Date.now(), stallAfterMs) ? 200 : 503, s);
    } else if (req.url === "/metrics") {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": registry.contentType });
          res.end(text);
        },
        (e: unknown) => send(500, { error: String(e) }),
      );
    } else send(404, { error: "not found" });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "0.0.0.0", () => resolve(server));
  });
}
