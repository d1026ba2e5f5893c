import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Writable } from "node:stream";
import { Keypair } from "@stellar/stellar-sdk";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  decimalRatio,
  envExample,
  parseConfig,
  SETTINGS,
  settingsTable,
} from "../src/config.js";
import { createLogger } from "../src/logger.js";

const CONTRACT = "CDLZFC3SYJYDZT7K67VZ75HPJVIEUVNIXF47ZG2FB2RMQQVU2HHGCYSC";
const TOKEN = "CAS3J7GYLGXMF6TDJBBYYSE3HQ6BBSMLNUQ34T6TZMYMW2EVH34XOWMA";
const SECRET = Keypair.random().secret();
const BASE = { KEEPER_CONTRACT_ID: CONTRACT, KEEPER_SECRET: SECRET, KEEPER_TOKENS: TOKEN };

function problems(env: NodeJS.ProcessEnv, readFile?: (p: string) => string): string[] {
  try {
    parseConfig(env, readFile);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("parseConfig", () => {
  it("applies each default from the one declaration and parses types", () => {
    const c = parseConfig({ ...BASE, KEEPER_RUN_ONCE: "true" });
    expect(c.runOnce).toBe(true);
    expect(c.rpcUrl).toBe("http://127.0.0.1:8000/rpc");
    expect(c.payIntervalS).toBe(86_400n);
    expect(c.shard).toEqual({ index: 0n, count: 1n });
    expect(c.tokens).toEqual(new Set([TOKEN]));
    expect(c.maxFeeSharePpm).toBe(10_000n);
    expect(c.budgetPerRun).toBe(500_000_000n);
    expect(c.channelSecrets).toEqual([]);
    expect(c.senders).toBeUndefined();
    expect(c.thresholds).toBeUndefined();
  });

  it("parses the policy settings", () => {
    const c = parseConfig({
      ...BASE,
      KEEPER_TOKENS: "*",
      KEEPER_PAY_INTERVAL: "3600s",
      KEEPER_SHARD: "2/3",
      KEEPER_THRESHOLDS: `${TOKEN}=1000`,
      KEEPER_TOKEN_PRICES: `${TOKEN}=0.25`,
      KEEPER_MAX_FEE_SHARE: "0.05",
      KEEPER_SENDERS: Keypair.random().publicKey(),
    });
    expect(c.tokens).toBe("any");
    expect(c.payIntervalS).toBe(3600n);
    expect(c.shard).toEqual({ index: 2n, count: 3n });
    expect(c.thresholds?.get(TOKEN)).toBe(1000n);
    expect(c.prices?.get(TOKEN)).toEqual({ num: 25n, den: 100n });
    expect(c.maxFeeSharePpm).toBe(50_000n);
    expect(c.senders?.size).toBe(1);
    expect(parseConfig({ ...BASE, KEEPER_PAY_INTERVAL: "off" }).payIntervalS).toBeNull();
    expect(parseConfig({ ...BASE, KEEPER_PAY_INTERVAL: "monthly" }).payIntervalS).toBe(2_592_000n);
  });

  it("reports every problem at once, each naming the setting", () => {
    const p = problems({
      KEEPER_CONTRACT_ID: "GABC",
      KEEPER_SCHEDULE: "every minute",
      KEEPER_RPC_URL: "ftp://x",
      KEEPER_SHARD: "3/3",
      KEEPER_PAY_INTERVAL: "fortnightly",
      KEEPER_THRESHOLDS: "nope=1",
      KEEPER_MAX_FEE_SHARE: "2",
    });
    const named = p.map((x) => x.split(":")[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        "KEEPER_CONTRACT_ID",
        "KEEPER_SCHEDULE",
        "KEEPER_RPC_URL",
        "KEEPER_SHARD",
        "KEEPER_PAY_INTERVAL",
        "KEEPER_THRESHOLDS",
        "KEEPER_MAX_FEE_SHARE",
        "KEEPER_TOKENS",
        "KEEPER_SECRET, KEEPER_SECRET_FILE",
      ]),
    );
    expect(p).toContain("KEEPER_TOKENS: required");
    expect(problems({ ...BASE, KEEPER_RPC_URL: "http://rpc.example.com" })).toEqual([
      "KEEPER_RPC_URL: must be https:// (plain http:// only for a local devnet on localhost)",
    ]);
    expect(parseConfig({ ...BASE, KEEPER_RPC_URL: "https://rpc.example.com" }).rpcUrl).toBe(
      "https://rpc.example.com",
    );
  });

  it("reads the fee payer and channel secrets from files, and refuses both or a bad file", () => {
    const ch = [Keypair.random().secret(), Keypair.random().secret()];
    const files: Record<string, string> = {
      "/run/secrets/keeper": `${SECRET}\n`,
      "/bad": "not a seed",
      "/channels": `${ch[0]}\n${ch[1]}\n`,
    };
    const read = (p: string) => {
      if (!(p in files)) throw Object.assign(new Error("nope"), { code: "ENOENT" });
      return files[p]!;
    };
    const { KEEPER_SECRET: _s, ...noSecret } = BASE;
    const c = parseConfig(
      { ...noSecret, KEEPER_SECRET_FILE: "/run/secrets/keeper", KEEPER_CHANNEL_SECRETS_FILE: "/channels" },
      read,
    );
    expect(c.secret).toBe(SECRET);
    expect(c.channelSecrets).toEqual(ch);
    expect(problems({ ...noSecret, KEEPER_SECRET_FILE: "/bad" }, read)).toEqual([
      "KEEPER_SECRET_FILE: the file does not hold a secret seed (S...)",
    ]);
    expect(problems({ ...noSecret, KEEPER_SECRET_FILE: "/missing" }, read)[0]).toMatch(/ENOENT/);
    expect(problems({ ...BASE, KEEPER_SECRET_FILE: "/run/secrets/keeper" }, read)[0]).toMatch(/not both/);
    expect(problems({ ...BASE, KEEPER_CHANNEL_SECRETS_FILE: "/bad" }, read)[0]).toMatch(
      /^KEEPER_CHANNEL_SECRETS_FILE/,
    );
  });

  it("never echoes a bad secret back in its error", () => {
    const p = problems({ ...BASE, KEEPER_SECRET: "SXXXXsecretish" });
    expect(p.join("\n")).not.toContain("SXXXXsecretish");
    expect(p[0]).toMatch(/^KEEPER_SECRET:/);
  });

  it("parses decimals exactly", () => {
    expect(decimalRatio("0.0123")).toEqual({ num: 123n, den: 10_000n });
    expect(decimalRatio("7")).toEqual({ num: 7n, den: 1n });
    expect(decimalRatio("1e3")).toBeUndefined();
  });
});

describe("the declaration", () => {
  it("marks each setting as defaulted, required, optional or one of a group, and the secret file is not required", () => {
    expect(SETTINGS.KEEPER_SECRET_FILE.need).toEqual({ oneOf: "fee payer" });
    expect(settingsTable()).toContain("| `KEEPER_SECRET_FILE` |");
    expect(settingsTable()).toMatch(
      /`KEEPER_SECRET_FILE` \|[^\n]*\| one of the fee payer group is required \|/,
    );
    expect(settingsTable()).toMatch(/`KEEPER_CHANNEL_SECRETS_FILE` \|[^\n]*\| optional \|/);
    expect(settingsTable()).toMatch(/`KEEPER_TOKENS` \|[^\n]*\| required \|/);
  });
});

describe("logging", () => {
  it("redacts the secrets wherever they are logged", () => {
    let out = "";
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    });
    const log = createLogger("info", { destination: sink });
    const config = parseConfig(BASE);
    log.info({ config }, "config");
    log.info({ secret: SECRET }, "oops");
    expect(out).not.toContain(SECRET);
    expect(out).toContain("[redacted]");
  });

  it("writes bigints as exact decimal strings and leaves errors to pino's serializer", () => {
    let out = "";
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    });
    const log = createLogger("info", { destination: sink });
    log.info({ amount: 2n ** 100n + 1n, batch: [{ id: 7n }], err: new Error("boom") }, "paid");
    const line = JSON.parse(out);
    expect(line.amount).toBe("1267650600228229401496703205377");
    expect(line.batch).toEqual([{ id: "7" }]);
    expect(line.err.message).toBe("boom");
    expect(line.err.stack).toContain("Error: boom");
  });
});

describe("generated docs", () => {
  const readme = resolve(import.meta.dirname, "..", "README.md");
  const example = resolve(import.meta.dirname, "..", ".env.example");
  it("keeper/README.md carries the settings table and .env.example matches the declaration (UPDATE_KEEPER_DOCS=1 rewrites it)", () => {
    if (process.env.UPDATE_KEEPER_DOCS) writeFileSync(example, envExample());
    expect(readFileSync(readme, "utf8")).toContain(settingsTable());
    expect(readFileSync(example, "utf8")).toBe(envExample());
  });
});

describe("parseConfig refuses settings that name nothing usable", () => {
  it("a token that is not a contract address is named, the valid one beside it is not", () => {
    const p = problems({ ...BASE, KEEPER_TOKENS: `${TOKEN}, GNOTACONTRACT` });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^KEEPER_TOKENS/);
    expect(p[0]).toContain('"GNOTACONTRACT" is not a C... address');
  });

  it("an unreadable channel secrets file is named with the system's error code", () => {
    const enoent = (path: string): string => {
      throw Object.assign(new Error(`no such file: ${path}`), { code: "ENOENT" });
    };
    const p = problems({ ...BASE, KEEPER_CHANNEL_SECRETS_FILE: "/run/secrets/channels" }, enoent);
    expect(p).toEqual(["KEEPER_CHANNEL_SECRETS_FILE: cannot read /run/secrets/channels: ENOENT"]);
  });
});
