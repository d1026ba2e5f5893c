// Every setting declared once: its config key, description, schema (the type) and
// either its default (the environment text, written only here), `required`,
// `optional`, or membership of a "one of these is required" group; and whether it is
// sensitive. `parseConfig` reads them all from an environment and reports every
// problem together; the config type is derived from the declaration; the README's
// table and `.env.example` are rendered from it (a test fails when they drift).
// Nothing is read at import time.

import { readFileSync } from "node:fs";
import { StrKey } from "@stellar/stellar-sdk";
import cron from "node-cron";
import { z } from "zod";
import type { Price } from "./policy.js";

/** Whether a setting must be given: a default, required, optional, or one of a group. */
type Need = { default: string } | { required: true } | { optional: true } | { oneOf: string };

interface Setting<K extends string, S extends z.ZodType> {
  key: K;
  description: string;
  schema: S;
  need: Need;
  sensitive?: boolean;
}

const setting = <K extends string, S extends z.ZodType>(s: Setting<K, S>): Setting<K, S> => s;

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const stroops = z
  .string()
  .regex(/^[0-9]+$/, "must be a whole number of stroops")
  .transform(BigInt);
const contract = z
  .string()
  .refine((v) => StrKey.isValidContract(v), "must be a contract address (C..., 56 characters)");
const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

/** `C...=value,C...=value` into a map, each value parsed by `value`. */
const tokenMap = <T>(what: string, value: (raw: string) => T | undefined) =>
  z.string().transform((s, ctx) => {
    const out = new Map<string, T>();
    for (const pair of list(s)) {
      const [token, raw] = pair.split("=").map((x) => x.trim());
      const v = raw === undefined ? undefined : value(raw);
      if (!token || !StrKey.isValidContract(token) || v === undefined) {
        ctx.addIssue({ code: "custom", message: `"${pair}" is not C...=${what}` });
        continue;
      }
      out.set(token, v);
    }
    return out;
  });

/** A decimal like `0.0123` as an exact ratio. */
export function decimalRatio(raw: string): Price | undefined {
  const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(raw);
  if (!m) return undefined;
  const frac = m[2] ?? "";
  return { num: BigInt(m[1]! + frac), den: 10n ** BigInt(frac.length) };
}

const PAYDAYS: Record<string, bigint> = { daily: 86_400n, weekly: 604_800n, monthly: 2_592_000n };

export const SETTINGS = {
  KEEPER_RPC_URL: setting({
    key: "rpcUrl",
    description:
      "Stellar RPC endpoint (JSON-RPC): https://, or http:// on localhost only. The keeper's only egress.",
    schema: z.url({ protocol: /^https?$/ }).refine((v) => {
      const u = new URL(v);
      return u.protocol === "https:" || ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname);
    }, "must be https:// (plain http:// only for a local devnet on localhost)"),
    need: { default: "http://127.0.0.1:8000/rpc" },
  }),
  KEEPER_NETWORK_PASSPHRASE: setting({
    key: "networkPassphrase",
    description: "Network passphrase the RPC must report (checked at start).",
    schema: z.string().min(1),
    need: { default: "Standalone Network ; February 2017" },
  }),
  KEEPER_CONTRACT_ID: setting({
    key: "contractId",
    description: "The stream contract (C...).",
    schema: contract,
    need: { required: true },
  }),
  KEEPER_SECRET: setting({
    key: "secretValue",
    description: "Secret seed (S...) of the fee-paying account, inline. Prefer KEEPER_SECRET_FILE.",
    schema: z
      .string()
      .refine((v) => StrKey.isValidEd25519SecretSeed(v), "must be an ed25519 secret seed (S...)")
      .optional(),
    need: { oneOf: "fee payer" },
    sensitive: true,
  }),
  KEEPER_SECRET_FILE: setting({
    key: "secretFile",
    description: "Path of a file holding the fee payer's secret seed (a mounted secret).",
    schema: z.string().min(1).optional(),
    need: { oneOf: "fee payer" },
  }),
  KEEPER_CHANNEL_SECRETS_FILE: setting({
    key: "channelSecretsFile",
    description:
      "Path of a file with one channel account secret seed per line: each channel is the source of one transaction at a time and the fee payer pays through fee bumps. Without it the fee payer is the only channel.",
    schema: z.string().min(1).optional(),
    need: { optional: true },
  }),
  KEEPER_TOKENS: setting({
    key: "tokens",
    description:
      'Token allowlist: comma-separated token contracts (C...) whose streams the keeper settles, or "*" for every token (hostile tokens included: they are then isolated by simulation).',
    schema: z.string().transform((v, ctx): ReadonlySet<string> | "any" => {
      if (v.trim() === "*") return "any";
      const items = list(v);
      for (const t of items)
        if (!StrKey.isValidContract(t))
          ctx.addIssue({ code: "custom", message: `"${t}" is not a C... address` });
      if (items.length === 0) ctx.addIssue({ code: "custom", message: 'list at least one token, or "*"' });
      return new Set(items);
    }),
    need: { required: true },
  }),
  KEEPER_SENDERS: setting({
    key: "senders",
    description:
      "Only streams from these senders (comma-separated G.../C...): an employer running its own keeper.",
    schema: z
      .string()
      .transform((v) => new Set(list(v)))
      .refine(
        (s) => [...s].every((a) => StrKey.isValidEd25519PublicKey(a) || StrKey.isValidContract(a)),
        "must be G... or C... addresses",
      )
      .optional(),
    need: { optional: true },
  }),
  KEEPER_SHARD: setting({
    key: "shard",
    description:
      "This replica's share i/N: it settles the streams with id mod N = i (N replicas, no coordination).",
    schema: z
      .string()
      .regex(/^[0-9]+\/[1-9][0-9]*$/, "must be i/N")
      .transform((v) => {
        const [i, n] = v.split("/").map(BigInt) as [bigint, bigint];
        return { index: i, count: n };
      })
      .refine((s) => s.index < s.count, "i must be below N"),
    need: { default: "0/1" },
  }),
  KEEPER_PAY_INTERVAL: setting({
    key: "payIntervalS",
    description:
      'Settle a stream once its oldest unpaid unit has accrued this long ago: "daily", "weekly", "monthly" (30 days), a number of seconds ("3600s"), or "off". "0s" settles everything withdrawable every run (the old behaviour).',
    schema: z.string().transform((v, ctx): bigint | null => {
      if (v === "off") return null;
      const named = PAYDAYS[v];
      if (named !== undefined) return named;
      const m = /^([0-9]+)s$/.exec(v);
      if (m) return BigInt(m[1]!);
      ctx.addIssue({ code: "custom", message: 'must be daily, weekly, monthly, off or "<seconds>s"' });
      return null;
    }),
    need: { default: "daily" },
  }),
  KEEPER_SETTLE_ON_TRANCHE: setting({
    key: "onTrancheUnlock",
    description: "Settle a tranched stream as soon as a whole tranche has unlocked unpaid.",
    schema: z.stringbool(),
    need: { default: "true" },
  }),
  KEEPER_THRESHOLDS: setting({
    key: "thresholds",
    description: "Settle when withdrawable reaches an amount, per token: C...=base units,C...=base units.",
    schema: tokenMap("base units", (r) => (/^[1-9][0-9]*$/.test(r) ? BigInt(r) : undefined)).optional(),
    need: { optional: true },
  }),
  KEEPER_TOKEN_PRICES: setting({
    key: "prices",
    description:
      "Known token prices in stroops per base unit (decimal), C...=price,...; where a price is known, the fee guard applies.",
    schema: tokenMap("stroops per base unit", decimalRatio).optional(),
    need: { optional: true },
  }),
  KEEPER_MAX_FEE_SHARE: setting({
    key: "maxFeeSharePpm",
    description:
      "Never settle when the fee would exceed this share of the value paid (where a price is known).",
    schema: z.string().transform((v, ctx) => {
      const r = decimalRatio(v);
      if (!r || r.num > r.den)
        ctx.addIssue({ code: "custom", message: "must be a decimal share between 0 and 1" });
      return r ? (r.num * 1_000_000n) / r.den : 0n;
    }),
    need: { default: "0.01" },
  }),
  KEEPER_FEE_BUDGET_PER_RUN: setting({
    key: "budgetPerRun",
    description: "Most a run spends on fees, stroops (spent on the oldest unpaid accrual first).",
    schema: stroops,
    need: { default: "500000000" },
  }),
  KEEPER_FEE_BUDGET_PER_DAY: setting({
    key: "budgetPerDay",
    description: "Most the keeper spends on fees in any 24 hours, stroops (counted in memory since start).",
    schema: stroops,
    need: { default: "2000000000" },
  }),
  KEEPER_INCLUSION_FEE: setting({
    key: "inclusionFee",
    description: "Inclusion fee bid per operation, stroops (on top of the simulated resource fee).",
    schema: stroops,
    need: { default: "100" },
  }),
  KEEPER_TX_TIMEOUT_S: setting({
    key: "txTimeoutS",
    description:
      "Validity window of each transaction, seconds; no transaction is rebuilt before it has passed.",
    schema: intIn(10, 600),
    need: { default: "60" },
  }),
  KEEPER_RPC_TIMEOUT_MS: setting({
    key: "rpcTimeoutMs",
    description: "Timeout of one RPC request, ms.",
    schema: intIn(100, 120_000),
    need: { default: "15000" },
  }),
  KEEPER_SCHEDULE: setting({
    key: "schedule",
    description: "When to run, as a cron expression (node-cron; 6 fields = with seconds).",
    schema: z
      .string()
      .refine((v) => cron.validate(v), "must be a cron expression (5 fields, or 6 with seconds)"),
    need: { default: "*/5 * * * *" },
  }),
  KEEPER_RUN_ONCE: setting({
    key: "runOnce",
    description: "Run once and exit (for a Kubernetes CronJob or a manual catch-up).",
    schema: z.stringbool(),
    need: { default: "false" },
  }),
  KEEPER_PAGE_SIZE: setting({
    key: "pageSize",
    description: "Streams read per getLedgerEntries request (memory stays flat: pages, not one array).",
    schema: intIn(1, 200),
    need: { default: "200" },
  }),
  KEEPER_EXTEND_BATCH: setting({
    key: "extendBatchSize",
    description: "Streams per extend_ttl transaction.",
    schema: intIn(1, 100),
    need: { default: "50" },
  }),
  KEEPER_EXTEND_BELOW_LEDGERS: setting({
    key: "extendBelowLedgers",
    description: "Extend entries whose TTL has fewer ledgers left (default 45 days of 5 s ledgers).",
    schema: intIn(1, 10_000_000),
    need: { default: "777600" },
  }),
  KEEPER_SET_ASIDE_BACKOFF_S: setting({
    key: "setAsideBackoffS",
    description:
      "First backoff of a stream set aside after failing a batch, seconds (doubles, at most a day).",
    schema: intIn(1, 86_400),
    need: { default: "600" },
  }),
  KEEPER_STALL_AFTER_S: setting({
    key: "stallAfterS",
    description: "/readyz fails when no run has made progress for this long, seconds.",
    schema: intIn(1, 604_800),
    need: { default: "1800" },
  }),
  KEEPER_HEALTH_PORT: setting({
    key: "healthPort",
    description: "Port for /healthz, /readyz and /metrics (0 disables).",
    schema: intIn(0, 65_535),
    need: { default: "9090" },
  }),
  KEEPER_SHUTDOWN_DEADLINE_MS: setting({
    key: "shutdownDeadlineMs",
    description: "On SIGTERM, how long an in-flight run may finish before the keeper exits.",
    schema: intIn(0, 600_000),
    need: { default: "30000" },
  }),
  LOG_LEVEL: setting({
    key: "logLevel",
    description: "pino log level.",
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]),
    need: { default: "info" },
  }),
  LOG_FORMAT: setting({
    key: "logFormat",
    description: 'Log format: "auto" (pretty on a terminal, JSON otherwise), "json" or "pretty".',
    schema: z.enum(["auto", "json", "pretty"]),
    need: { default: "auto" },
  }),
} as const;

type Settings = typeof SETTINGS;
/** Every setting parsed, by its config key: derived from the declaration. */
export type ParsedSettings = {
  [N in keyof Settings as Settings[N]["key"]]: z.output<Settings[N]["schema"]>;
};

/** The keeper's configuration: the settings, with the secrets resolved. */
export type KeeperConfig = Omit<ParsedSettings, "secretValue" | "secretFile" | "channelSecretsFile"> & {
  /** The fee payer's secret seed: never logged. */
  secret: string;
  /** Channel account secret seeds: never logged. */
  channelSecrets: string[];
};

/** Configuration is wrong: lists every problem, each naming the setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid keeper configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

const SEED = /^S[A-Z2-7]{55}$/;

export function parseConfig(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string = (p) => readFileSync(p, "utf8"),
): KeeperConfig {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  const groups = new Map<string, string[]>();
  for (const [name, s] of Object.entries(SETTINGS) as [string, Setting<string, z.ZodType>][]) {
    const given = env[name] === "" ? undefined : env[name];
    if ("oneOf" in s.need) {
      const g = groups.get(s.need.oneOf) ?? [];
      g.push(name);
      groups.set(s.need.oneOf, g);
    }
    const raw = given ?? ("default" in s.need ? s.need.default : undefined);
    if (raw === undefined && "required" in s.need) {
      problems.push(`${name}: required`);
      continue;
    }
    const r = s.schema.safeParse(raw);
    if (r.success) out[s.key] = r.data;
    else problems.push(`${name}: ${r.error.issues.map((i) => i.message).join("; ")}`);
  }
  for (const [group, names] of groups) {
    const set = names.filter((n) => env[n] !== undefined && env[n] !== "");
    if (set.length === 0) problems.push(`${names.join(", ")}: one is required (the ${group}'s secret seed)`);
    if (set.length > 1) problems.push(`${names.join(", ")}: set one, not both`);
  }
  let secret = out.secretValue as string | undefined;
  const secretFile = out.secretFile as string | undefined;
  if (secretFile && !secret) {
    try {
      secret = readFile(secretFile).trim();
      if (!SEED.test(secret))
        problems.push("KEEPER_SECRET_FILE: the file does not hold a secret seed (S...)");
    } catch (e) {
      problems.push(
        `KEEPER_SECRET_FILE: cannot read ${secretFile}: ${(e as NodeJS.ErrnoException).code ?? "error"}`,
      );
    }
  }
  let channelSecrets: string[] = [];
  const channelsFile = out.channelSecretsFile as string | undefined;
  if (channelsFile) {
    try {
      channelSecrets = list(readFile(channelsFile).replace(/\s+/g, ","));
      if (channelSecrets.length === 0 || !channelSecrets.every((c) => SEED.test(c)))
        problems.push("KEEPER_CHANNEL_SECRETS_FILE: the file must hold secret seeds (S...), one per line");
    } catch (e) {
      problems.push(
        `KEEPER_CHANNEL_SECRETS_FILE: cannot read ${channelsFile}: ${(e as NodeJS.ErrnoException).code ?? "error"}`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const { secretValue: _v, secretFile: _f, channelSecretsFile: _c, ...rest } = out as ParsedSettings;
  return { ...rest, secret: secret!, channelSecrets };
}

function needText(n: Need): string {
  if ("default" in n) return `\`${n.default}\``;
  if ("required" in n) return "required";
  if ("optional" in n) return "optional";
  return `one of the ${n.oneOf} group is required`;
}

/** The README's settings table, from the declaration above. */
export function settingsTable(): string {
  const rows = Object.entries(SETTINGS).map(
    ([name, s]: [string, Setting<string, z.ZodType>]) =>
      `| \`${name}\` | ${s.description} | ${needText(s.need)} | ${s.sensitive ? "yes" : ""} |`,
  );
  return ["| setting | meaning | default or need | sensitive |", "| --- | --- | --- | --- |", ...rows].join(
    "\n",
  );
}

/** `keeper/.env.example`, from the declaration above. */
export function envExample(): string {
  const lines = [
    "# Generated from keeper/src/config.ts (npm run settings-table -w keeper -- --env); do not edit.",
  ];
  for (const [name, s] of Object.entries(SETTINGS) as [string, Setting<string, z.ZodType>][]) {
    lines.push("", `# ${s.description}`);
    if ("default" in s.need) lines.push(`# default: ${s.need.default}`, `#${name}=${s.need.default}`);
    else if ("required" in s.need) lines.push("# required", `${name}=`);
    else if ("optional" in s.need) lines.push("# optional", `#${name}=`);
    else lines.push(`# one of the ${s.need.oneOf} group is required`, `#${name}=`);
  }
  return `${lines.join("\n")}\n`;
}
