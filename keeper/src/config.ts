// Every setting declared once: name, description, schema (type and default) and
// whether it is sensitive. `parseConfig` reads them all from an environment and
// reports every problem together; `settingsTable` renders the README's table from
// this same declaration, so docs cannot drift from code. Nothing is read at import.

import { readFileSync } from "node:fs";
import { StrKey } from "@stellar/stellar-sdk";
import cron from "node-cron";
import { z } from "zod";

interface Setting<S extends z.ZodType> {
  description: string;
  schema: S;
  /** Printed in docs; the real default lives in the schema. */
  default?: string;
  sensitive?: boolean;
}

const setting = <S extends z.ZodType>(s: Setting<S>): Setting<S> => s;

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const SETTINGS = {
  KEEPER_RPC_URL: setting({
    description:
      "Stellar RPC endpoint (JSON-RPC): https://, or http:// on localhost only. The keeper's only egress.",
    schema: z
      .url({ protocol: /^https?$/ })
      .refine((v) => {
        const u = new URL(v);
        return u.protocol === "https:" || ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname);
      }, "must be https:// (plain http:// only for a local devnet on localhost)")
      .default("http://127.0.0.1:8000/rpc"),
    default: "http://127.0.0.1:8000/rpc",
  }),
  KEEPER_NETWORK_PASSPHRASE: setting({
    description: "Network passphrase the RPC must report (checked at start).",
    schema: z.string().min(1).default("Standalone Network ; February 2017"),
    default: "Standalone Network ; February 2017",
  }),
  KEEPER_CONTRACT_ID: setting({
    description: "The stream contract (C...).",
    schema: z
      .string()
      .refine((v) => StrKey.isValidContract(v), "must be a contract address (C..., 56 characters)"),
  }),
  KEEPER_SECRET: setting({
    description: "Secret seed (S...) of the fee-paying account. Set this or KEEPER_SECRET_FILE, not both.",
    schema: z
      .string()
      .refine((v) => StrKey.isValidEd25519SecretSeed(v), "must be an ed25519 secret seed (S...)")
      .optional(),
    sensitive: true,
  }),
  KEEPER_SECRET_FILE: setting({
    description: "Path of a file holding the secret seed (e.g. a mounted secret).",
    schema: z.string().min(1).optional(),
  }),
  KEEPER_SCHEDULE: setting({
    description: "When to run, as a cron expression (node-cron; 6 fields = with seconds).",
    schema: z
      .string()
      .refine((v) => cron.validate(v), "must be a cron expression (5 fields, or 6 with seconds)")
      .default("*/5 * * * *"),
    default: "*/5 * * * *",
  }),
  KEEPER_RUN_ONCE: setting({
    description: "Run once and exit (for a Kubernetes CronJob or a manual catch-up).",
    schema: z.stringbool().default(false),
    default: "false",
  }),
  KEEPER_SETTLE_BATCH: setting({
    description: "Streams per settle_many transaction (pubnet fits 48; 40 leaves room for the return value).",
    schema: intIn(1, 48).default(40),
    default: "40",
  }),
  KEEPER_EXTEND_BATCH: setting({
    description: "Streams per extend_ttl transaction.",
    schema: intIn(1, 100).default(50),
    default: "50",
  }),
  KEEPER_MIN_SETTLE_AMOUNT: setting({
    description: "Settle a stream only when at least this many base units are withdrawable.",
    schema: z
      .string()
      .regex(/^[1-9][0-9]*$/, "must be a positive integer (base units)")
      .transform(BigInt)
      .default(1n),
    default: "1",
  }),
  KEEPER_EXTEND_BELOW_LEDGERS: setting({
    description: "Extend entries whose TTL has fewer ledgers left (default 45 days of 5 s ledgers).",
    schema: intIn(1, 10_000_000).default(777_600),
    default: "777600",
  }),
  KEEPER_HEALTH_PORT: setting({
    description: "Port for /healthz and /readyz (0 disables).",
    schema: intIn(0, 65_535).default(9090),
    default: "9090",
  }),
  KEEPER_SHUTDOWN_DEADLINE_MS: setting({
    description: "On SIGTERM, how long an in-flight run may finish before the keeper exits.",
    schema: intIn(0, 600_000).default(30_000),
    default: "30000",
  }),
  LOG_LEVEL: setting({
    description: "pino log level.",
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
    default: "info",
  }),
} as const;

type Settings = typeof SETTINGS;
type Parsed = { [K in keyof Settings]: z.output<Settings[K]["schema"]> };

export interface KeeperConfig {
  rpcUrl: string;
  networkPassphrase: string;
  contractId: string;
  /** The fee payer's secret seed: never logged. */
  secret: string;
  schedule: string;
  runOnce: boolean;
  settleBatchSize: number;
  extendBatchSize: number;
  minSettleAmount: bigint;
  extendBelowLedgers: number;
  healthPort: number;
  shutdownDeadlineMs: number;
  logLevel: string;
}

/** Configuration is wrong: lists every problem, each naming the setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid keeper configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

export function parseConfig(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string = (p) => readFileSync(p, "utf8"),
): KeeperConfig {
  const problems: string[] = [];
  const out: Partial<Parsed> = {};
  for (const [name, s] of Object.entries(SETTINGS) as [keyof Settings, Setting<z.ZodType>][]) {
    const raw = env[name] === "" ? undefined : env[name];
    const r = s.schema.safeParse(raw);
    if (r.success) (out as Record<string, unknown>)[name] = r.data;
    else problems.push(`${name}: ${r.error.issues.map((i) => i.message).join("; ")}`);
  }
  let secret: string | undefined = out.KEEPER_SECRET;
  if (out.KEEPER_SECRET && out.KEEPER_SECRET_FILE)
    problems.push("KEEPER_SECRET, KEEPER_SECRET_FILE: set one, not both");
  else if (out.KEEPER_SECRET_FILE) {
    try {
      secret = readFile(out.KEEPER_SECRET_FILE).trim();
      if (!/^S[A-Z2-7]{55}$/.test(secret))
        problems.push("KEEPER_SECRET_FILE: the file does not hold a secret seed (S...)");
    } catch (e) {
      problems.push(
        `KEEPER_SECRET_FILE: cannot read ${out.KEEPER_SECRET_FILE}: ${(e as NodeJS.ErrnoException).code ?? "error"}`,
      );
    }
  } else if (!secret && !problems.some((p) => p.startsWith("KEEPER_SECRET:"))) {
    problems.push("KEEPER_SECRET, KEEPER_SECRET_FILE: one is required (the fee payer's secret seed)");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const p = out as Parsed;
  return {
    rpcUrl: p.KEEPER_RPC_URL,
    networkPassphrase: p.KEEPER_NETWORK_PASSPHRASE,
    contractId: p.KEEPER_CONTRACT_ID,
    secret: secret!,
    schedule: p.KEEPER_SCHEDULE,
    runOnce: p.KEEPER_RUN_ONCE,
    settleBatchSize: p.KEEPER_SETTLE_BATCH,
    extendBatchSize: p.KEEPER_EXTEND_BATCH,
    minSettleAmount: p.KEEPER_MIN_SETTLE_AMOUNT,
    extendBelowLedgers: p.KEEPER_EXTEND_BELOW_LEDGERS,
    healthPort: p.KEEPER_HEALTH_PORT,
    shutdownDeadlineMs: p.KEEPER_SHUTDOWN_DEADLINE_MS,
    logLevel: p.LOG_LEVEL,
  };
}

/** The README's settings table, from the declaration above. */
export function settingsTable(): string {
  const rows = Object.entries(SETTINGS).map(
    ([name, s]: [string, Setting<z.ZodType>]) =>
      `| \`${name}\` | ${s.description} | ${s.default === undefined ? "(required)" : `\`${s.default}\``} | ${s.sensitive ? "yes" : ""} |`,
  );
  return ["| setting | meaning | default | sensitive |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
