// The devnet's RPC methods where they follow stellar-rpc closely, seen through the
// unmodified @stellar/stellar-sdk (and raw JSON-RPC where the SDK hides a field):
// simulation at the latest closed ledger's close time (not the wall clock),
// getHealth's close times, getTransactions/getLedgers page limits, getEvents' ledger
// scan limit, invalid simulation requests answered in `error`, and
// `diagnosticEventsXdr` on a rejected Soroban transaction. The ledger clock follows
// the wall clock here and ledgers close only on request.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  Asset,
  BASE_FEE,
  contract,
  Keypair,
  Operation,
  rpc,
  scValToNative,
  TransactionBuilder,
  xdr,
} from "@stellar/stellar-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Devnet, startDevnet } from "../helpers/devnet.js";
import type { SpecClient } from "../helpers/spec-client.js";
import { type Submit, submitter } from "../helpers/submit.js";

const WASM = resolve(import.meta.dirname, "..", "..", "artifacts", "stream.wasm");

let net: Devnet;
let server: rpc.Server;
let submit: Submit;

beforeAll(async () => {
  net = await startDevnet({ ledgerIntervalMs: 0, frozenClock: false });
  server = new rpc.Server(net.rpcUrl, { allowHttp: true });
  submit = await submitter(net);
}, 20 * 60_000);

afterAll(async () => {
  await net?.stop();
});

async function funded(): Promise<Keypair> {
  const kp = Keypair.random();
  await server.requestAirdrop(kp.publicKey());
  return kp;
}

/** Submits through the SDK's pipeline, closing ledgers until it lands (here they close only on request). */
async function apply(source: Keypair, op: xdr.Operation): Promise<rpc.Api.GetSuccessfulTransactionResponse> {
  return (await whileClosing(submit(source, op))).response;
}

/** Awaits `p` while closing a ledger every 100 ms (ledgers close only on request here). */
async function whileClosing<T>(p: Promise<T>): Promise<T> {
  let done = false;
  const out = p.finally(() => {
    done = true;
  });
  while (!done) {
    await Promise.race([out.catch(() => undefined), sleep(100)]);
    if (!done) await net.closeLedger();
  }
  return out;
}

async function raw(method: string, params: unknown) {
  const r = await fetch(net.rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the reply of whichever method was called; each test asserts the fields it reads
  return (await r.json()) as { result?: Record<string, any>; error?: { code: number; message: string } };
}

describe("devnet RPC semantics", () => {
  it("simulates at the latest ledger's close time, not the wall clock", async () => {
    const sender = await funded();
    const recipient = await funded();
    await apply(sender, Operation.createStellarAssetContract({ asset: Asset.native() }));
    const upload = await apply(sender, Operation.uploadContractWasm({ wasm: readFileSync(WASM) }));
    const wasmHash = Buffer.from(scValToNative(upload.returnValue!) as Uint8Array);
    const opts = {
      rpcUrl: net.rpcUrl,
      networkPassphrase: net.passphrase,
      allowHttp: true,
      publicKey: sender.publicKey(),
      ...contract.basicNodeSigner(sender, net.passphrase),
    };
    const deployTx = await contract.Client.deploy(null, { ...opts, wasmHash });
    const deployed = await whileClosing(deployTx.signAndSend());
    const contractId = (deployed.result as contract.Client).options.contractId;
    const streams = (await contract.Client.from({ ...opts, contractId })) as SpecClient;

    // One unit a second, started 1,000 s before the latest close.
    const t0 = BigInt((await server.getLatestLedger()).closeTime);
    const create = await streams.create({
      params: {
        sender: sender.publicKey(),
        recipient: recipient.publicKey(),
        token: Asset.native().contractId(net.passphrase),
        schedule: {
          tag: "Linear",
          values: [
            {
              start_ts: t0 - 1_000n,
              cliff_ts: t0 - 1_000n,
              end_ts: t0 + 1_000_000n,
              deposit: 1_001_000n,
              start_unlock: 0n,
              cliff_unlock: 0n,
            },
          ],
        },
        cancelable: true,
        transferable: false,
        reference: Buffer.alloc(0),
      },
    });
    await whileClosing(create.signAndSend());

    const closed = BigInt((await net.closeLedger()).closeTime);
    await sleep(2_100); // the wall clock moves on; no ledger closes
    const view = await streams.amounts({ id: 1n });
    type Amounts = { withdrawable: bigint };
    const withdrawable = ((view.result as { unwrap?: () => Amounts }).unwrap?.() ?? (view.result as Amounts))
      .withdrawable;
    expect(withdrawable).toBe(closed - (t0 - 1_000n));
    expect(BigInt(Math.floor(Date.now() / 1000))).toBeGreaterThan(closed + 1n);
  });

  it("reports close times in getHealth", async () => {
    const h = await raw("getHealth", {});
    const latest = await server.getLatestLedger();
    expect(h.result!.latestLedger).toBe(latest.sequence);
    expect(h.result!.latestLedgerCloseTime).toBe(String(latest.closeTime));
    expect(Number(h.result!.oldestLedgerCloseTime)).toBeLessThanOrEqual(Number(latest.closeTime));
  });

  it("pages getTransactions and getLedgers like stellar-rpc: 50 by default (also for 0), 200 at most", async () => {
    const a = await funded();
    for (let i = 0; i < 60; i++) await net.closeLedger();
    await funded(); // a few more transactions
    expect(a.publicKey()).toMatch(/^G/);
    const oldest = (await raw("getHealth", {})).result!.oldestLedger as number;
    const ledgers = await raw("getLedgers", { startLedger: oldest });
    expect(ledgers.result!.ledgers).toHaveLength(50);
    const zero = await raw("getLedgers", { startLedger: oldest, pagination: { limit: 0 } });
    expect(zero.result!.ledgers).toHaveLength(50);
    const max = await raw("getLedgers", { startLedger: oldest, pagination: { limit: 200 } });
    expect(max.result!.ledgers.length).toBeGreaterThan(50);
    const over = await raw("getLedgers", { startLedger: oldest, pagination: { limit: 201 } });
    expect(over.error?.code).toBe(-32602);
    const txs = await raw("getTransactions", { startLedger: oldest, pagination: { limit: 0 } });
    expect(txs.result!.transactions.length).toBeGreaterThan(0);
    expect(
      (await raw("getTransactions", { startLedger: oldest, pagination: { limit: 201 } })).error?.code,
    ).toBe(-32602);
  });

  it("scans at most 10,000 ledgers per getEvents call and hands back a cursor to go on", async () => {
    const kp = await funded();
    const from = (await server.getLatestLedger()).sequence + 1;
    await net.warp(86_400, 20_000); // 20,000 ledgers later
    const to = await funded();
    await apply(kp, Operation.payment({ destination: to.publicKey(), asset: Asset.native(), amount: "1" }));
    const filters: rpc.Api.EventFilter[] = [
      { type: "contract", contractIds: [Asset.native().contractId(net.passphrase)] },
    ];
    const first = await server.getEvents({ startLedger: from, filters });
    expect(first.events).toHaveLength(0);
    expect(Number(BigInt(first.cursor.split("-")[0]!) >> 32n)).toBe(from + 10_000 - 1);
    let page = first;
    const found: rpc.Api.EventResponse[] = [];
    for (let i = 0; i < 5 && found.length === 0; i++) {
      page = await server.getEvents({ cursor: page.cursor, filters });
      found.push(...page.events);
    }
    expect(found.map((e) => scValToNative(e.topic[0]!))).toContain("transfer");
  });

  it("answers invalid simulation requests in `error`, as stellar-rpc does", async () => {
    const garbage = await raw("simulateTransaction", { transaction: "AAAA" });
    expect(garbage.result!.error).toBe("Could not unmarshal transaction");
    const kp = await funded();
    const account = await server.getAccount(kp.publicKey());
    const classic = new TransactionBuilder(account, { fee: BASE_FEE, networkPassphrase: net.passphrase })
      .addOperation(Operation.payment({ destination: kp.publicKey(), asset: Asset.native(), amount: "1" }))
      .setTimeout(60)
      .build();
    const notSoroban = await raw("simulateTransaction", { transaction: classic.toXDR() });
    expect(notSoroban.result!.error).toBe(
      "transaction contains unsupported operation type: OperationTypePayment",
    );
    const badMode = await raw("simulateTransaction", { transaction: classic.toXDR(), authMode: "sometimes" });
    expect(badMode.result!.error).toMatch(/authMode/);
  });

  it("returns diagnosticEventsXdr with a rejected Soroban transaction", async () => {
    const kp = await funded();
    const account = await server.getAccount(kp.publicKey());
    const built = new TransactionBuilder(account, { fee: BASE_FEE, networkPassphrase: net.passphrase })
      .addOperation(Operation.uploadContractWasm({ wasm: readFileSync(WASM) }))
      .setTimeout(60)
      .build();
    const prepared = await server.prepareTransaction(built);
    // Declare too little resource fee for what the transaction claims.
    const env = prepared.toEnvelope();
    env.v1().tx().ext().sorobanData().resourceFee(xdr.Int64.fromString("1"));
    const tampered = TransactionBuilder.fromXDR(env.toXDR("base64"), net.passphrase);
    tampered.sign(kp);
    const sent = await server.sendTransaction(tampered);
    expect(sent.status).toBe("ERROR");
    expect(sent.errorResult!.result().switch().name).toBe("txInsufficientFee");
    expect(sent.diagnosticEvents?.length).toBeGreaterThan(0);
  });
});
