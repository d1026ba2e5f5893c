// /healthz (the process is alive) and /readyz (the last run reached the chain) on
// their own port, for the orchestrator's probes.

import { createServer, type Server } from "node:http";

export interface HealthState {
  ready: boolean;
  lastRunAt?: string;
  lastError?: string;
}

export function startHealthServer(port: number, state: () => HealthState): Promise<Server> {
  const server = createServer((req, res) => {
    const s = state();
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/healthz") send(200, { ok: true });
    else if (req.url === "/readyz") send(s.ready ? 200 : 503, s);
    else send(404, { error: "not found" });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "0.0.0.0", () => resolve(server));
  });
}
