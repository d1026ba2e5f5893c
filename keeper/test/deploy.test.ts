// keeper/deploy/ names metrics in alert rules and the dashboard: each must be one the
// keeper exports (one source: keeper/src/metrics.ts), and the manifest must keep
// the hardening the security notes promise.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../src/metrics.js";

const DEPLOY = resolve(import.meta.dirname, "..", "deploy");
const read = (f: string) => readFileSync(resolve(DEPLOY, f), "utf8");

async function exported(): Promise<Set<string>> {
  const m = createMetrics();
  const names = (await m.registry.getMetricsAsJSON()).map((x) => x.name);
  return new Set(names.flatMap((n) => [n, `${n}_bucket`, `${n}_sum`, `${n}_count`]));
}

describe("keeper/deploy", () => {
  it("alert rules and the Grafana dashboard use only metrics the keeper exports", async () => {
    const known = await exported();
    const dashboard = JSON.parse(read("grafana-dashboard.json")) as {
      panels: { targets: { expr: string }[] }[];
    };
    const exprs = [...read("alerts.yaml").matchAll(/expr: (.*)/g)].map((m) => m[1]!);
    exprs.push(...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)));
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\bkeeper_[a-z_]+/g)].map((m) => m[0])));
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((n) => !known.has(n))).toEqual([]);
  });

  it("the manifest runs non-root on a read-only root filesystem with the secret as a file and both probes", () => {
    const k = read("kubernetes.yaml");
    for (const needle of [
      "runAsNonRoot: true",
      "readOnlyRootFilesystem: true",
      "allowPrivilegeEscalation: false",
      "drop: [ALL]",
      "automountServiceAccountToken: false",
      "KEEPER_SECRET_FILE",
      "path: /healthz",
      "path: /readyz",
      "kind: NetworkPolicy",
    ])
      expect(k).toContain(needle);
    expect(k).not.toMatch(/name: KEEPER_SECRET,/);
  });
});
