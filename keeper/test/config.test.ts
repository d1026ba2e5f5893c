import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Writable } from "node:stream";
import { Keypair } from "@stellar/stellar-sdk";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, settingsTable } from "../src/config.js";
import { createLogger } from "../src/logger.js";

const CONTRACT = "CDLZFC3SYJYDZT7K67VZ75HPJVIEUVNIXF47ZG2FB2RMQQVU2HHGCYSC";
const SECRET = Keypair.random().secret();

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
  it("applies defaults and parses types", () => {
    const c = parseConfig({
      KEEPER_CONTRACT_ID: CONTRACT,
      KEEPER_SECRET: SECRET,
      KEEPER_MIN_SETTLE_AMOUNT: "500",
      KEEPER_RUN_ONCE: "true",
    });
    expect(c.settleBatchSize).toBe(40);
    expect(c.minSettleAmount).toBe(500n);
    expect(c.runOnce).toBe(true);
    expect(c.rpcUrl).toBe("http://127.0.0.1:8000/rpc");
  });

  it("reports every problem at once, each naming the setting", () => {
    const p = problems({
      KEEPER_CONTRACT_ID: "GABC",
      KEEPER_SETTLE_BATCH: "49",
      KEEPER_SCHEDULE: "every minute",
      KEEPER_RPC_URL: "ftp://x",
      KEEPER_MIN_SETTLE_AMOUNT: "-1",
    });
    const named = p.map((x) => x.split(":")[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        "KEEPER_CONTRACT_ID",
        "KEEPER_SETTLE_BATCH",
        "KEEPER_SCHEDULE",
        "KEEPER_RPC_URL",
        "KEEPER_MIN_SETTLE_AMOUNT",
        "KEEPER_SECRET, KEEPER_SECRET_FILE",
      ]),
    );
    expect(p.find((x) => x.startsWith("KEEPER_SETTLE_BATCH"))).toMatch(/48/);
    expect(
      problems({
        KEEPER_CONTRACT_ID: CONTRACT,
        KEEPER_SECRET: SECRET,
        KEEPER_RPC_URL: "http://rpc.example.com",
      }),
    ).toEqual(["KEEPER_RPC_URL: must be https:// (plain http:// only for a local devnet on localhost)"]);
    expect(
      parseConfig({
        KEEPER_CONTRACT_ID: CONTRACT,
        KEEPER_SECRET: SECRET,
        KEEPER_RPC_URL: "https://rpc.example.com",
      }).rpcUrl,
    ).toBe("https://rpc.example.com");
  });

  it("reads the secret from a file, and refuses both or a bad file", () => {
    const files: Record<string, string> = { "/run/secrets/keeper": `${SECRET}\n`, "/bad": "not a seed" };
    const read = (p: string) => {
      if (!(p in files)) throw Object.assign(new Error("nope"), { code: "ENOENT" });
      return files[p]!;
    };
    expect(
      parseConfig({ KEEPER_CONTRACT_ID: CONTRACT, KEEPER_SECRET_FILE: "/run/secrets/keeper" }, read).secret,
    ).toBe(SECRET);
    expect(problems({ KEEPER_CONTRACT_ID: CONTRACT, KEEPER_SECRET_FILE: "/bad" }, read)).toEqual([
      "KEEPER_SECRET_FILE: the file does not hold a secret seed (S...)",
    ]);
    expect(problems({ KEEPER_CONTRACT_ID: CONTRACT, KEEPER_SECRET_FILE: "/missing" }, read)[0]).toMatch(
      /ENOENT/,
    );
    expect(
      problems(
        { KEEPER_CONTRACT_ID: CONTRACT, KEEPER_SECRET: SECRET, KEEPER_SECRET_FILE: "/run/secrets/keeper" },
        read,
      )[0],
    ).toMatch(/not both/);
  });

  it("never echoes a bad secret back in its error", () => {
    const p = problems({ KEEPER_CONTRACT_ID: CONTRACT, KEEPER_SECRET: "SXXXXsecretish" });
    expect(p.join("\n")).not.toContain("SXXXXsecretish");
    expect(p[0]).toMatch(/^KEEPER_SECRET:/);
  });
});

describe("logging", () => {
  it("redacts the secret wherever it is logged", () => {
    let out = "";
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    });
    const log = createLogger("info", sink);
    const config = parseConfig({ KEEPER_CONTRACT_ID: CONTRACT, KEEPER_SECRET: SECRET });
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
    const log = createLogger("info", sink);
    log.info({ amount: 2n ** 100n + 1n, batch: [{ id: 7n }], err: new Error("boom") }, "paid");
    const line = JSON.parse(out);
    expect(line.amount).toBe("1267650600228229401496703205377");
    expect(line.batch).toEqual([{ id: "7" }]);
    expect(line.err.message).toBe("boom");
    expect(line.err.stack).toContain("Error: boom");
  });
});

describe("keeper/README.md", () => {
  it("carries the settings table generated from the declaration", () => {
    const readme = readFileSync(resolve(import.meta.dirname, "..", "README.md"), "utf8");
    expect(readme).toContain(settingsTable());
  });
});
