// A fault-injecting HTTP proxy on 127.0.0.1 in front of the devnet's RPC: each
// request is, at random, answered with an HTTP 500, left hanging (a timeout),
// forwarded with its response dropped (the devnet did apply it: the client never
// learns), or forwarded intact. Faults can be switched off to let the system heal.

import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FaultRates {
  error: number;
  hang: number;
  drop: number;
}

export interface FaultProxy {
  url: string;
  rates: FaultRates;
  counts: { error: number; hang: number; drop: number; passed: number };
  close(): Promise<void>;
}

export async function startFaultProxy(
  target: string,
  rates: FaultRates,
  random = Math.random,
): Promise<FaultProxy> {
  const t = new URL(target);
  const counts = { error: 0, hang: 0, drop: 0, passed: 0 };
  const hanging = new Set<import("node:http").ServerResponse>();
  const proxy: Partial<FaultProxy> = { rates, counts };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = random();
      const { error, hang, drop } = proxy.rates!;
      if (r < error) {
        counts.error += 1;
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("injected fault");
        return;
      }
      if (r < error + hang) {
        counts.hang += 1;
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      }
      const dropIt = r < error + hang + drop;
      const up = request(
        { host: t.hostname, port: t.port, path: t.pathname, method: req.method, headers: req.headers },
        (ur) => {
          const body: Buffer[] = [];
          ur.on("data", (c: Buffer) => body.push(c));
          ur.on("end", () => {
            if (dropIt) {
              counts.drop += 1;
              res.socket?.destroy();
              return;
            }
            counts.passed += 1;
            res.writeHead(ur.statusCode ?? 502, ur.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      up.on("error", () => res.socket?.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  proxy.url = `http://127.0.0.1:${port}${t.pathname}`;
  proxy.close = () =>
    new Promise<void>((r) => {
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections();
      server.close(() => r());
    });
  return proxy as FaultProxy;
}
