// The devnet's transaction queue and ledger closes, seen only through the unmodified
// @stellar/stellar-sdk over HTTP: one queued transaction per source account
// (TRY_AGAIN_LATER), DUPLICATE while queued and txBadSeq once applied, several
// accounts in one ledger, surge pricing when a ledger is full and getFeeStats from
// what was charged. Ledgers close only on devnet_closeLedger here, so each test
// decides exactly what goes into a ledger.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Asset, Keypair, Operation, rpc, type Transaction, TransactionBuilder } from "@stellar/stellar-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Devnet, startDevnet } from "../helpers/devnet.js";

let net: Devnet;
let server: rpc.Server;

// Two classic operations per ledger, so three payments make a full ledger.
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "devnet-queue-"));
  const settingsFile = join(dir, "settings.json");
  writeFileSync(settingsFile, JSON.stringify({ ledger_max_classic_ops: 2 }));
  net = await startDevnet({ ledgerIntervalMs: 0, settingsFile });
  server = new rpc.Server(net.rpcUrl, { allowHttp: true });
}, 20 * 60_000);

afterAll(async () => {
  await net?.stop();
});

async function funded(): Promise<Keypair> {
  const kp = Keypair.random();
  await server.requestAirdrop(kp.publicKey());
  return kp;
}

/** A signed payment of 1 XLM to `to`, `offset` sequence numbers after the account's next. */
async function payment(from: Keypair, to: string, fee: number, offset = 0): Promise<Transaction> {
  const account = await server.getAccount(from.publicKey());
  for (let i = 0; i < offset; i++) account.incrementSequenceNumber();
  const tx = new TransactionBuilder(account, { fee: String(fee), networkPassphrase: net.passphrase })
    .addOperation(Operation.payment({ destination: to, asset: Asset.native(), amount: "1" }))
    .setTimeout(60)
    .build();
  tx.sign(from);
  return tx;
}

async function status(hash: string) {
  return server.getTransaction(hash);
}

/** The ledger a transaction was applied in (`undefined` while it is not found). */
function ledgerOf(r: rpc.Api.GetTransactionResponse): number | undefined {
  return "ledger" in r ? r.ledger : undefined;
}

describe("devnet transaction queue", () => {
  it("keeps one transaction per source account: TRY_AGAIN_LATER, DUPLICATE, then txBadSeq once applied", async () => {
    const alice = await funded();
    const bob = await funded();
    const first = await payment(alice, bob.publicKey(), 100);
    const second = await payment(alice, bob.publicKey(), 100, 1);

    const sent = await server.sendTransaction(first);
    expect(sent.status).toBe("PENDING");
    expect((await server.sendTransaction(second)).status).toBe("TRY_AGAIN_LATER");
    expect((await server.sendTransaction(first)).status).toBe("DUPLICATE");
    expect((await status(sent.hash)).status).toBe(rpc.Api.GetTransactionStatus.NOT_FOUND);

    const closed = await net.closeLedger();
    const applied = await status(sent.hash);
    expect(applied.status).toBe(rpc.Api.GetTransactionStatus.SUCCESS);
    expect(ledgerOf(applied)).toBe(closed.sequence);

    // Applied: its sequence number is used, as stellar-core answers a replay.
    const replay = await server.sendTransaction(first);
    expect(replay.status).toBe("ERROR");
    expect(replay.errorResult!.result().switch().name).toBe("txBadSeq");
    // The account's next transaction is welcome now.
    expect((await server.sendTransaction(second)).status).toBe("PENDING");
    await net.closeLedger();
    expect((await status(second.hash().toString("hex"))).status).toBe(rpc.Api.GetTransactionStatus.SUCCESS);
  });

  it("applies transactions of different accounts together, in order, in one ledger", async () => {
    const [a, b, to] = [await funded(), await funded(), await funded()];
    const txs = [await payment(a, to.publicKey(), 100), await payment(b, to.publicKey(), 100)];
    for (const tx of txs) expect((await server.sendTransaction(tx)).status).toBe("PENDING");
    const closed = await net.closeLedger();
    const results = await Promise.all(txs.map((tx) => status(tx.hash().toString("hex"))));
    expect(results.map((r) => r.status)).toEqual([
      rpc.Api.GetTransactionStatus.SUCCESS,
      rpc.Api.GetTransactionStatus.SUCCESS,
    ]);
    expect(results.map(ledgerOf)).toEqual([closed.sequence, closed.sequence]);
    expect(results.map((r) => (r as rpc.Api.GetSuccessfulTransactionResponse).applicationOrder)).toEqual([
      1, 2,
    ]);
  });

  it("surge prices a full ledger: the highest bids go first and pay the lowest included bid", async () => {
    const [low, mid, high, to] = [await funded(), await funded(), await funded(), await funded()];
    const txs = {
      low: await payment(low, to.publicKey(), 100),
      mid: await payment(mid, to.publicKey(), 300),
      high: await payment(high, to.publicKey(), 500),
    };
    for (const tx of Object.values(txs)) expect((await server.sendTransaction(tx)).status).toBe("PENDING");
    const hash = (tx: Transaction) => tx.hash().toString("hex");

    const full = await net.closeLedger();
    const [rLow, rMid, rHigh] = await Promise.all([
      status(hash(txs.low)),
      status(hash(txs.mid)),
      status(hash(txs.high)),
    ]);
    expect(rLow.status).toBe(rpc.Api.GetTransactionStatus.NOT_FOUND); // waits for the next ledger
    for (const r of [rMid, rHigh]) {
      expect(r.status).toBe(rpc.Api.GetTransactionStatus.SUCCESS);
      expect(ledgerOf(r)).toBe(full.sequence);
      // Everyone in the surged ledger pays the lowest included bid per operation.
      expect((r as rpc.Api.GetSuccessfulTransactionResponse).resultXdr.feeCharged().toString()).toBe("300");
    }

    await net.closeLedger();
    const later = (await status(hash(txs.low))) as rpc.Api.GetSuccessfulTransactionResponse;
    expect(later.status).toBe(rpc.Api.GetTransactionStatus.SUCCESS);
    expect(later.resultXdr.feeCharged().toString()).toBe("100");

    // getFeeStats reports what included transactions were charged, surge included.
    const stats = await server.getFeeStats();
    expect(stats.inclusionFee.max).toBe("300");
    expect(stats.inclusionFee.min).toBe("100");
  });
});
