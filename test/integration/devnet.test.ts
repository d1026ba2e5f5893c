// Integration tests of the devnet through the unmodified @stellar/stellar-sdk:
// rpc.Server, contract.Client and AssembledTransaction.signAndSend against a
// devnet the helper builds and starts on a free port.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  Account,
  Address,
  Asset,
  authorizeEntry,
  BASE_FEE,
  contract,
  Keypair,
  nativeToScVal,
  Operation,
  rpc,
  SorobanDataBuilder,
  StrKey,
  scValToNative,
  type Transaction,
  TransactionBuilder,
  xdr,
} from "@stellar/stellar-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TransactionFailedError } from "../../sdk/src/errors.js";
import { type Devnet, startDevnet } from "../helpers/devnet.js";
import type { SpecClient } from "../helpers/spec-client.js";
import { type Submit, submitter } from "../helpers/submit.js";

const WASM = resolve(import.meta.dirname, "..", "..", "artifacts", "stream.wasm");

let net: Devnet;
let server: rpc.Server;
let submit: Submit;

// The first start may compile the devnet (minutes on a fresh 2-core machine).
beforeAll(async () => {
  net = await startDevnet();
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

/** The value of a call whose contract function returns `Result<T, E>` (or plain `T`). */
function ok<T>(v: unknown): T {
  return (
    v && typeof (v as { unwrap?: unknown }).unwrap === "function" ? (v as { unwrap(): T }).unwrap() : v
  ) as T;
}

function options(kp: Keypair) {
  return {
    rpcUrl: net.rpcUrl,
    networkPassphrase: net.passphrase,
    allowHttp: true,
    publicKey: kp.publicKey(),
    ...contract.basicNodeSigner(kp, net.passphrase),
  };
}

async function uploadStreamWasm(kp: Keypair): Promise<Buffer> {
  const wasm = readFileSync(WASM);
  const { response } = await submit(kp, Operation.uploadContractWasm({ wasm }));
  return Buffer.from(scValToNative(response.returnValue!) as Uint8Array);
}

async function deployStream(kp: Keypair): Promise<SpecClient> {
  const wasmHash = await uploadStreamWasm(kp);
  const deploy = await contract.Client.deploy(null, { ...options(kp), wasmHash });
  const { result } = await deploy.signAndSend();
  return result as SpecClient;
}

/** Deploys the asset's Stellar Asset Contract unless an earlier test did. */
async function deploySac(kp: Keypair, asset: Asset): Promise<string> {
  const id = asset.contractId(net.passphrase);
  const exists = await server.getContractInstance(id).then(
    () => true,
    () => false,
  );
  if (!exists) await submit(kp, Operation.createStellarAssetContract({ asset }));
  return id;
}

describe("devnet RPC basics", () => {
  it("answers getHealth, getNetwork, getVersionInfo and getFeeStats", async () => {
    const health = await server.getHealth();
    expect(health.status).toBe("healthy");
    expect(health.latestLedger).toBeGreaterThanOrEqual(1);
    const network = await server.getNetwork();
    expect(network.passphrase).toBe("Standalone Network ; February 2017");
    expect(Number(network.protocolVersion)).toBe(27);
    expect(network.friendbotUrl).toBe(net.friendbotUrl);
    const version = await server.getVersionInfo();
    expect(version.protocolVersion).toBe(27);
    const fees = await server.getFeeStats();
    expect(fees.sorobanInclusionFee.p50).toBe("100");
  });

  it("serves a latest ledger whose header and metadata XDR decode", async () => {
    const latest = await server.getLatestLedger();
    expect(latest.headerXdr.ledgerSeq()).toBe(latest.sequence);
    expect(latest.metadataXdr.switch()).toBe(2);
    expect(latest.metadataXdr.v2().ledgerHeader().header().ledgerSeq()).toBe(latest.sequence);
    expect(Number(latest.closeTime)).toBeGreaterThan(1_600_000_000);
  });
});

describe("friendbot and classic operations", () => {
  it("funds a new account through requestAirdrop and refuses to fund it twice", async () => {
    const kp = Keypair.random();
    const account = await server.requestAirdrop(kp.publicKey());
    expect(account.accountId()).toBe(kp.publicKey());
    const entry = await server.getAccountEntry(kp.publicKey());
    expect(entry.balance().toString()).toBe("100000000000");
    const again = await server.requestAirdrop(kp.publicKey());
    expect(again.sequenceNumber()).toBe(account.sequenceNumber());
  });

  it("funds a contract address through fundAddress (native asset contract transfer)", async () => {
    const kp = await funded();
    const client = await deployStream(kp);
    const id = client.options.contractId;
    const res = await server.fundAddress(id);
    expect(res.status).toBe(rpc.Api.GetTransactionStatus.SUCCESS);
    const balance = await server.getSACBalance(id, Asset.native(), net.passphrase);
    expect(balance.balanceEntry?.amount).toBe("100000000000");
  });

  it("creates accounts, pays XLM and rejects bad signatures and sequence numbers", async () => {
    const alice = await funded();
    const bob = Keypair.random();
    const account = await server.getAccount(alice.publicKey());
    const create = new TransactionBuilder(account, { fee: BASE_FEE, networkPassphrase: net.passphrase })
      .addOperation(Operation.createAccount({ destination: bob.publicKey(), startingBalance: "25" }))
      .setTimeout(30)
      .build();

    // Signed by the wrong key: rejected, nothing changes.
    create.sign(Keypair.random());
    const bad = await server.sendTransaction(create);
    expect(bad.status).toBe("ERROR");
    expect(bad.errorResult!.result().switch().name).toBe("txBadAuth");

    // Replayed sequence number after a valid send.
    const fresh = await server.getAccount(alice.publicKey());
    const seqBefore = fresh.sequenceNumber();
    const good = new TransactionBuilder(fresh, { fee: BASE_FEE, networkPassphrase: net.passphrase })
      .addOperation(Operation.createAccount({ destination: bob.publicKey(), startingBalance: "25" }))
      .setTimeout(30)
      .build();
    good.sign(alice);
    const sent = await server.sendTransaction(good);
    expect(sent.status).toBe("PENDING");
    const done = await server.pollTransaction(sent.hash);
    expect(done.status).toBe(rpc.Api.GetTransactionStatus.SUCCESS);
    // Applied: resending it is a used sequence number, as stellar-core answers.
    const replay = await server.sendTransaction(good);
    expect(replay.status).toBe("ERROR");
    expect(replay.errorResult!.result().switch().name).toBe("txBadSeq");

    const stale = new TransactionBuilder(new Account(alice.publicKey(), seqBefore), {
      fee: BASE_FEE,
      networkPassphrase: net.passphrase,
    })
      .addOperation(Operation.payment({ destination: bob.publicKey(), asset: Asset.native(), amount: "1" }))
      .setTimeout(30)
      .build();
    stale.sign(alice);
    const badSeq = await server.sendTransaction(stale);
    expect(badSeq.status).toBe("ERROR");
    expect(badSeq.errorResult!.result().switch().name).toBe("txBadSeq");

    const bobEntry = await server.getAccountEntry(bob.publicKey());
    expect(bobEntry.balance().toString()).toBe("250000000");
  });

  it("emits unified events for classic payments (getEvents) and fee events (getTransaction)", async () => {
    const alice = await funded();
    const bob = await funded();
    const startLedger = (await server.getLatestLedger()).sequence + 1; // after every earlier transaction
    const { response: res } = await submit(
      alice,
      Operation.payment({ destination: bob.publicKey(), asset: Asset.native(), amount: "3" }),
    );
    const transfer = nativeToScVal("transfer", { type: "symbol" }).toXDR("base64");
    const from = nativeToScVal(alice.publicKey(), { type: "address" }).toXDR("base64");
    const xlm = Asset.native().contractId(net.passphrase);
    const events = await server.getEvents({
      startLedger,
      filters: [{ type: "contract", contractIds: [xlm], topics: [[transfer, from, "*", "*"]] }],
    });
    expect(events.events).toHaveLength(1);
    expect(scValToNative(events.events[0]!.value)).toBe(30_000_000n);
    expect(scValToNative(events.events[0]!.topic[3]!)).toBe("native");
    const fee = res.events.transactionEventsXdr[0]!;
    expect(scValToNative(fee.event().body().v0().topics()[0]!)).toBe("fee");
    expect(scValToNative(fee.event().body().v0().data())).toBe(100n);
  });

  it("records a failing payment as FAILED with its result code, charging only the fee", async () => {
    const alice = await funded();
    const before = (await server.getAccountEntry(alice.publicKey())).balance().toBigInt();
    const pay = submit(
      alice,
      Operation.payment({ destination: Keypair.random().publicKey(), asset: Asset.native(), amount: "1" }),
    );
    await expect(pay).rejects.toBeInstanceOf(TransactionFailedError);
    await expect(pay).rejects.toMatchObject({ resultCode: "txFailed", opResultCode: "paymentNoDestination" });
    const after = (await server.getAccountEntry(alice.publicKey())).balance().toBigInt();
    expect(before - after).toBe(100n);
  });
});

describe("contracts through contract.Client", () => {
  it("uploads and deploys the stream contract Wasm and invokes it", async () => {
    const kp = await funded();
    const client = await deployStream(kp);
    expect(client.options.contractId).toMatch(/^C[A-Z2-7]{55}$/);
    const count = await client.stream_count();
    expect(ok(count.result)).toBe(0n);
    const instance = await server.getContractInstance(client.options.contractId);
    expect(instance.executable().switch().name).toBe("contractExecutableWasm");
  });

  it("deploys the native SAC and transfers XLM with signAndSend, emitting events", async () => {
    const alice = await funded();
    const bob = await funded();
    const sacId = await deploySac(alice, Asset.native());
    const sac = (await contract.Client.from({ ...options(alice), contractId: sacId })) as SpecClient;
    const startLedger = (await server.getLatestLedger()).sequence + 1; // after every earlier transaction
    const tx = await sac.transfer({ from: alice.publicKey(), to: bob.publicKey(), amount: 12_345_678n });
    const sent = await tx.signAndSend();
    expect(sent.getTransactionResponse?.status).toBe(rpc.Api.GetTransactionStatus.SUCCESS);
    const bobBalance = (await server.getAccountEntry(bob.publicKey())).balance().toBigInt();
    expect(bobBalance).toBe(100_000_000_000n + 12_345_678n);
    const balance = await sac.balance({ id: bob.publicKey() });
    expect(balance.result).toBe(100_000_000_000n + 12_345_678n);

    const transfer = nativeToScVal("transfer", { type: "symbol" }).toXDR("base64");
    const events = await server.getEvents({
      startLedger,
      filters: [{ type: "contract", contractIds: [sacId], topics: [[transfer, "*", "**"]] }],
    });
    expect(events.events.length).toBe(1);
    const ev = events.events[0]!;
    expect(ev.contractId?.contractId()).toBe(sacId);
    expect(scValToNative(ev.topic[1]!)).toBe(alice.publicKey());
    expect(scValToNative(ev.value)).toBe(12_345_678n);
    const none = await server.getEvents({
      startLedger,
      filters: [
        {
          type: "contract",
          contractIds: [sacId],
          topics: [[nativeToScVal("mint", { type: "symbol" }).toXDR("base64"), "**"]],
        },
      ],
    });
    expect(none.events.length).toBe(0);
  });

  it("checks a non-source signer's Soroban authorization (signed entry passes, forged one fails)", async () => {
    const alice = await funded();
    const bob = await funded();
    const sacId = await deploySac(alice, Asset.native());
    const sac = (await contract.Client.from({ ...options(alice), contractId: sacId })) as SpecClient;

    // Alice submits a transfer out of Bob's balance: Bob must sign his auth entry.
    const tx = await sac.transfer({ from: bob.publicKey(), to: alice.publicKey(), amount: 5_000_000n });
    expect(tx.needsNonInvokerSigningBy()).toEqual([bob.publicKey()]);
    await tx.signAuthEntries({
      address: bob.publicKey(),
      signAuthEntry: contract.basicNodeSigner(bob, net.passphrase).signAuthEntry,
    });
    const sent = await tx.signAndSend();
    expect(sent.getTransactionResponse?.status).toBe(rpc.Api.GetTransactionStatus.SUCCESS);

    // Bob's key signing for another network: the SDK accepts the entry, the host rejects it.
    const forged = await sac.transfer({ from: bob.publicKey(), to: alice.publicKey(), amount: 5_000_000n });
    await forged.signAuthEntries({
      address: bob.publicKey(),
      authorizeEntry: (entry: xdr.SorobanAuthorizationEntry, _signer: unknown, validUntil: number) =>
        authorizeEntry(entry, bob, validUntil, "Some Other Network ; 2026"),
    });
    const failed = await forged.signAndSend();
    expect(failed.getTransactionResponse?.status).toBe(rpc.Api.GetTransactionStatus.FAILED);
    const bobBalance = (await server.getAccountEntry(bob.publicKey())).balance().toBigInt();
    expect(bobBalance).toBe(100_000_000_000n - 5_000_000n);
  });

  it("extends a contract entry's TTL with a simulated ExtendFootprintTTL", async () => {
    const kp = await funded();
    const sacId = await deploySac(kp, Asset.native());
    const key = xdr.LedgerKey.contractData(
      new xdr.LedgerKeyContractData({
        contract: new Address(sacId).toScAddress(),
        key: xdr.ScVal.scvLedgerKeyContractInstance(),
        durability: xdr.ContractDataDurability.persistent(),
      }),
    );
    const before = (await server.getLedgerEntries(key)).entries[0]!.liveUntilLedgerSeq!;
    const account = await server.getAccount(kp.publicKey());
    const extend = new TransactionBuilder(account, { fee: BASE_FEE, networkPassphrase: net.passphrase })
      .setSorobanData(new SorobanDataBuilder().setReadOnly([key]).build())
      .addOperation(Operation.extendFootprintTtl({ extendTo: 3_000_000 }))
      .setTimeout(30)
      .build();
    const prepared = await server.prepareTransaction(extend);
    prepared.sign(kp);
    const res = await server.pollTransaction((await server.sendTransaction(prepared)).hash);
    expect(res.status).toBe(rpc.Api.GetTransactionStatus.SUCCESS);
    const ledger = (res as rpc.Api.GetSuccessfulTransactionResponse).ledger;
    const after = await server.getLedgerEntries(key);
    expect(after.entries[0]!.liveUntilLedgerSeq!).toBe(ledger + 3_000_000);
    expect(after.entries[0]!.liveUntilLedgerSeq!).toBeGreaterThan(before);
  });

  it("pays an issued asset over trustlines and moves it through its SAC", async () => {
    const issuer = await funded();
    const alice = await funded();
    const bob = await funded();
    const usdc = new Asset("USDC", issuer.publicKey());
    for (const holder of [alice, bob]) await submit(holder, Operation.changeTrust({ asset: usdc }));
    await submit(issuer, Operation.payment({ destination: alice.publicKey(), asset: usdc, amount: "1000" }));
    const sacId = await deploySac(issuer, usdc);
    const sac = (await contract.Client.from({ ...options(alice), contractId: sacId })) as SpecClient;
    const tx = await sac.transfer({ from: alice.publicKey(), to: bob.publicKey(), amount: 2_500_000_000n });
    await tx.signAndSend();
    const bobBalance = await sac.balance({ id: bob.publicKey() });
    expect(bobBalance.result).toBe(2_500_000_000n);
    const line = await server.getTrustline(bob.publicKey(), usdc);
    expect(line.balance().toString()).toBe("2500000000");
    const name = await sac.name();
    expect(name.result).toBe(`USDC:${issuer.publicKey()}`);
  });

  it("paginates events with a cursor", async () => {
    const alice = await funded();
    const bob = await funded();
    const sacId = await deploySac(alice, Asset.native());
    const sac = (await contract.Client.from({ ...options(alice), contractId: sacId })) as SpecClient;
    const startLedger = (await server.getLatestLedger()).sequence + 1; // after every earlier transaction
    for (const amount of [1n, 2n, 3n]) {
      await (await sac.transfer({ from: alice.publicKey(), to: bob.publicKey(), amount })).signAndSend();
    }
    const filters: rpc.Api.EventFilter[] = [{ type: "contract", contractIds: [sacId] }];
    const all = await server.getEvents({ startLedger, filters });
    expect(all.events.map((e) => scValToNative(e.value))).toEqual([1n, 2n, 3n]);
    const first = await server.getEvents({ startLedger, filters, limit: 1 });
    expect(first.events.map((e) => e.id)).toEqual([all.events[0]!.id]);
    const rest = await server.getEvents({ cursor: first.cursor, filters, limit: 10 });
    expect(rest.events.map((e) => e.id)).toEqual(all.events.slice(1).map((e) => e.id));
    const after = await server.getEvents({ cursor: rest.cursor, filters, limit: 10 });
    expect(after.events).toEqual([]);
  });
});

describe("time and state archival", () => {
  it("warps ledger time forward and closes a ledger", async () => {
    const before = await server.getLatestLedger();
    const month = 30 * 24 * 3600;
    const warped = await net.warp(month);
    expect(warped.sequence).toBeGreaterThan(before.sequence);
    const after = await server.getLatestLedger();
    expect(Number(after.closeTime) - Number(before.closeTime)).toBeGreaterThanOrEqual(month);
    expect(after.sequence - before.sequence).toBe(month / 5);
  });

  it("archives a persistent entry when its TTL lapses and restores it", async () => {
    const kp = await funded();
    const client = await deployStream(kp);
    const contractId = client.options.contractId;
    const instanceKey = xdr.LedgerKey.contractData(
      new xdr.LedgerKeyContractData({
        contract: new Address(contractId).toScAddress(),
        key: xdr.ScVal.scvLedgerKeyContractInstance(),
        durability: xdr.ContractDataDurability.persistent(),
      }),
    );
    const live = await server.getLedgerEntries(instanceKey);
    const liveUntil = live.entries[0]!.liveUntilLedgerSeq!;
    expect(liveUntil).toBeGreaterThan(live.latestLedger);

    // Jump past the TTL: the entry is archived (still listed, TTL in the past).
    await net.warp(60, liveUntil - live.latestLedger + 10);
    const archived = await server.getLedgerEntries(instanceKey);
    expect(archived.entries[0]!.liveUntilLedgerSeq!).toBeLessThan(archived.latestLedger);

    // RestoreFootprint brings it back with a fresh TTL.
    const account = await server.getAccount(kp.publicKey());
    const restore = new TransactionBuilder(account, { fee: BASE_FEE, networkPassphrase: net.passphrase })
      .setSorobanData(new SorobanDataBuilder().setReadWrite([instanceKey]).build())
      .addOperation(Operation.restoreFootprint({}))
      .setTimeout(30)
      .build();
    const prepared = await server.prepareTransaction(restore);
    prepared.sign(kp);
    const sent = await server.sendTransaction(prepared);
    const res = await server.pollTransaction(sent.hash);
    expect(res.status).toBe(rpc.Api.GetTransactionStatus.SUCCESS);
    const restored = await server.getLedgerEntries(instanceKey);
    expect(restored.entries[0]!.liveUntilLedgerSeq!).toBeGreaterThan(restored.latestLedger);

    // The code entry is still archived; an invocation restores it automatically.
    const count = await client.stream_count();
    expect(ok(count.result)).toBe(0n);
  });
});

describe("bad input", () => {
  interface Reply {
    result: { status: string };
    error: { code: number; message: string };
  }
  async function raw(body: string): Promise<{ status: number; json: Reply & Reply[] }> {
    const r = await fetch(net.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return { status: r.status, json: await r.json() };
  }

  it("answers malformed requests with JSON-RPC errors and keeps serving", async () => {
    expect((await raw("{not json")).json.error.code).toBe(-32700);
    expect(
      (await raw(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "noSuchMethod" }))).json.error.code,
    ).toBe(-32601);
    expect(
      (
        await raw(
          JSON.stringify({ jsonrpc: "2.0", id: 2, method: "getTransaction", params: { hash: "xyz" } }),
        )
      ).json.error.code,
    ).toBe(-32602);
    expect(
      (
        await raw(
          JSON.stringify({
            jsonrpc: "2.0",
            id: 3,
            method: "sendTransaction",
            params: { transaction: "AAAA" },
          }),
        )
      ).json.error.code,
    ).toBe(-32602);
    expect(
      (
        await raw(
          JSON.stringify({ jsonrpc: "2.0", id: 4, method: "getLedgerEntries", params: { keys: ["!!"] } }),
        )
      ).json.error.code,
    ).toBe(-32602);
    expect((await raw(JSON.stringify({ id: 5, method: "getHealth" }))).json.error.code).toBe(-32600);
    const big = await raw(" ".repeat(2 * 1024 * 1024));
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe(-32600);
    const batch = await raw(
      JSON.stringify([
        { jsonrpc: "2.0", id: 1, method: "getHealth" },
        { jsonrpc: "2.0", id: 2, method: "nope" },
      ]),
    );
    expect(batch.json[0]?.result.status).toBe("healthy");
    expect(batch.json[1]?.error.code).toBe(-32601);
    expect((await server.getHealth()).status).toBe("healthy");
  });

  it("answers CORS preflights so a browser dApp on another origin can call it", async () => {
    const r = await fetch(net.rpcUrl, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-client-name",
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    const post = await fetch(net.rpcUrl, {
      method: "POST",
      headers: { origin: "http://localhost:5173", "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth" }),
    });
    expect(post.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("returns a simulation error for an invocation that would fail", async () => {
    const kp = await funded();
    const account = await server.getAccount(kp.publicKey());
    const missing = StrKey.encodeContract(Buffer.alloc(32, 7));
    const tx = new TransactionBuilder(account, { fee: BASE_FEE, networkPassphrase: net.passphrase })
      .addOperation(Operation.invokeContractFunction({ contract: missing, function: "anything", args: [] }))
      .setTimeout(30)
      .build() as Transaction;
    const sim = await server.simulateTransaction(tx);
    expect(rpc.Api.isSimulationError(sim)).toBe(true);
    if (rpc.Api.isSimulationError(sim)) expect(sim.error).toContain("HostError");
  });
});
