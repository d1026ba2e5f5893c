// Concurrent creations: N senders each send one `create` to the same stream contract
// right after a ledger closes, on the devnet with the pubnet profile and 5-second
// ledgers (closed by this benchmark every LEDGER_MS, as pubnet closes them). For each
// N and each `reserveIds` K it reports how many first attempts applied in that ledger
// (K = 0 and no retry is the SDK before the fix), how many creations succeeded in the
// end (the SDK retries a lost race once), and the fees actually charged, failed
// attempts included. Also the size of the contract instance a creation rewrites
// (`StreamCount` lives there), for the storage decision in contracts/stream/README.md.
// Prints a JSON summary and writes bench/create-race/results.json;
// docs/benchmarks/devnet.md ("Concurrent creates") reports it.
// Run: npx vitest run --config bench/create-race/vitest.config.ts
// Sizes: RACE_SENDERS=2,4,8 RACE_RESERVE=0,3,7 RACE_ROUNDS=2 RACE_LEDGER_MS=5000

import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { it } from "vitest";
import { resultCodes } from "../../sdk/src/client/tx/failure.js";
import { instanceLedgerKey } from "../../sdk/src/client/wire.js";
import { CreateRaceError, TransactionFailedError } from "../../sdk/src/errors.js";
import { linear } from "../../sdk/src/schedule.js";
import { type Party, type World, worldOn } from "../../sdk/test/integration/harness.js";
import { startDevnet } from "../../test/helpers/devnet.js";

const list = (v: string | undefined, d: number[]) => (v ? v.split(",").map(Number) : d);
const SENDERS = list(process.env.RACE_SENDERS, [2, 4, 8]);
const RESERVE = list(process.env.RACE_RESERVE, [0, 3, 7]);
const ROUNDS = Number(process.env.RACE_ROUNDS ?? 2);
const LEDGER_MS = Number(process.env.RACE_LEDGER_MS ?? 5000);

const median = (xs: bigint[]) => {
  const s = [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0n;
};

it("measures creations racing in one ledger", async () => {
  const net = await startDevnet({ ledgerIntervalMs: 0, pendingWaitMs: 0, profile: "pubnet" });
  let ticker: NodeJS.Timeout | undefined;
  const closeEvery = (ms: number) => {
    clearInterval(ticker);
    ticker = setInterval(() => void net.closeLedger().catch(() => {}), ms);
  };
  closeEvery(50);
  let world: World | undefined;
  try {
    world = await worldOn(net);
    const w = world;
    const max = Math.max(...SENDERS);
    const senders: Party[] = [];
    for (let i = 0; i < max; i++) senders.push(await w.party({ mint: 10n ** 15n }));
    const recipient = await w.party();
    const create = (s: Party, now: bigint, reserveIds: number) =>
      s.client.create(
        {
          sender: s.address,
          recipient: recipient.address,
          token: w.tokenId,
          cancelable: true,
          transferable: true,
          schedule: linear({ start: now + 3600n, durationS: 86_400n, deposit: 1_000_000n }),
        },
        { reserveIds },
      );
    await create(senders[0]!, await w.now(), 0); // the count exists: the usual case
    // A failed attempt's fee, and why it failed (its operation result code).
    const codes: Record<string, number> = {};
    const feeOf = async (hash: string) => {
      const r = await w.server.getTransaction(hash);
      if (r.status === "NOT_FOUND") return 0n;
      const code = resultCodes(r.resultXdr).op ?? resultCodes(r.resultXdr).tx;
      codes[code] = (codes[code] ?? 0) + 1;
      return r.resultXdr.feeCharged().toBigInt();
    };
    const rows = [];
    for (const n of SENDERS)
      for (const k of RESERVE) {
        for (const c of Object.keys(codes)) delete codes[c];
        let firstOk = 0;
        let finalOk = 0;
        let raceErrors = 0;
        let sameLedger = 0;
        const okFees: bigint[] = [];
        const failedFees: bigint[] = [];
        const reservedFees: bigint[] = [];
        let total = 0n;
        for (let round = 0; round < ROUNDS; round++) {
          // Start right after a ledger closes; the next closes LEDGER_MS later.
          closeEvery(LEDGER_MS);
          await net.closeLedger();
          const now = await w.now();
          const first = (await w.server.getLatestLedger()).sequence + 1;
          const rs = await Promise.allSettled(senders.slice(0, n).map((s) => create(s, now, k)));
          for (const r of rs) {
            if (r.status === "fulfilled") {
              const o = r.value;
              finalOk++;
              if (!o.raceRetries?.length) firstOk++;
              if (o.ledger === first || o.raceRetries?.length) sameLedger++;
              okFees.push(o.feeCharged);
              if (o.reserved) reservedFees.push(o.reserved.fee);
              total += o.feeCharged;
              for (const h of o.raceRetries ?? []) {
                const f = await feeOf(h);
                failedFees.push(f);
                total += f;
              }
            } else if (r.reason instanceof CreateRaceError) {
              raceErrors++;
              for (const h of r.reason.hashes) {
                const f = await feeOf(h);
                failedFees.push(f);
                total += f;
              }
            } else if (r.reason instanceof TransactionFailedError) {
              failedFees.push(await feeOf(r.reason.hash));
            } else throw r.reason;
          }
        }
        const attempts = n * ROUNDS;
        rows.push({
          senders: n,
          reserveIds: k,
          rounds: ROUNDS,
          firstAttemptSuccess: `${firstOk}/${attempts}`,
          finalSuccess: `${finalOk}/${attempts}`,
          createRaceErrors: raceErrors,
          firstAttemptsInTheSameLedger: `${sameLedger}/${finalOk}`,
          medianFeeChargedOk: median(okFees).toString(),
          medianFeeChargedFailedAttempt: median(failedFees).toString(),
          medianReservedFee: median(reservedFees).toString(),
          feePerStreamCreated: finalOk ? (total / BigInt(finalOk)).toString() : "n/a",
          failedAttempts: { ...codes },
        });
        console.log(JSON.stringify(rows.at(-1)));
      }
    closeEvery(50);
    const inst = await w.server.getLedgerEntries(instanceLedgerKey(w.contractId));
    const instanceBytes = inst.entries[0]!.val.toXDR().length;
    const result = {
      at: new Date().toISOString(),
      profile: net.profile,
      ledgerMs: LEDGER_MS,
      cpus: cpus().length,
      loadAverage: loadavg().map((x) => +x.toFixed(2)),
      instanceEntryBytes: instanceBytes,
      rows,
    };
    console.log(JSON.stringify(result, null, 2));
    writeFileSync(resolve(import.meta.dirname, "results.json"), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    clearInterval(ticker);
    await net.stop();
  }
});
