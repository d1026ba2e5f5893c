// Devnet benchmark: median simulate latency, send-to-confirmed latency and
// sustained transactions per second for stream-contract calls, measured
// through the unmodified SDK over HTTP, and the queue's sustained throughput:
// many source accounts each sending one SAC transfer per ledger, ledgers
// closed on request so the apply time per ledger is measured too. Prints a
// JSON summary and writes it to bench/devnet/results.json;
// docs/benchmarks/devnet.md reports it. Devnet profile: pubnet.
// Run: npx vitest run --config bench/devnet/vitest.config.ts

import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import {
  Account,
  Asset,
  BASE_FEE,
  contract,
  Keypair,
  nativeToScVal,
  Operation,
  rpc,
  scValToNative,
  TransactionBuilder,
  type xdr,
} from "@stellar/stellar-sdk";
import { it } from "vitest";
import { startDevnet } from "../../test/helpers/devnet.js";
import type { SpecClient } from "../../test/helpers/spec-client.js";

const ROOT = resolve(import.meta.dirname, "..", "..");
const SIMULATIONS = Number(process.env.BENCH_SIMULATIONS ?? 200);
const SENDS = Number(process.env.BENCH_SENDS ?? 100);
const TPS_SECONDS = Number(process.env.BENCH_TPS_SECONDS ?? 15);
const TPS_SENDERS = Number(process.env.BENCH_TPS_SENDERS ?? 8);
const QUEUE_ACCOUNTS = Number(process.env.BENCH_QUEUE_ACCOUNTS ?? 500);
const QUEUE_ROUNDS = Number(process.env.BENCH_QUEUE_ROUNDS ?? 5);

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))]!;
  return {
    n: s.length,
    medianMs: +q(0.5).toFixed(2),
    p90Ms: +q(0.9).toFixed(2),
    maxMs: +s[s.length - 1]!.toFixed(2),
  };
}

/** The queue: QUEUE_ACCOUNTS accounts each send a native SAC transfer per ledger. */
async function measureQueue() {
  const net = await startDevnet({ ledgerIntervalMs: 0, profile: "pubnet" });
  try {
    const server = new rpc.Server(net.rpcUrl, { allowHttp: true });
    const close = () => net.call<{ sequence: number; transactionCount: number }>("devnet_closeLedger", {});
    const funder = Keypair.random();
    await server.requestAirdrop(funder.publicKey());
    const xlm = Asset.native().contractId(net.passphrase);
    {
      const acct = await server.getAccount(funder.publicKey());
      const tx = await server.prepareTransaction(
        new TransactionBuilder(acct, { fee: BASE_FEE, networkPassphrase: net.passphrase })
          .addOperation(Operation.createStellarAssetContract({ asset: Asset.native() }))
          .setTimeout(60)
          .build(),
      );
      tx.sign(funder);
      await server.sendTransaction(tx);
      await close();
    }
    const recipient = Keypair.random();
    await server.requestAirdrop(recipient.publicKey());
    const accounts: Keypair[] = [];
    for (let i = 0; i < QUEUE_ACCOUNTS; i++) {
      const kp = Keypair.random();
      await server.requestAirdrop(kp.publicKey());
      accounts.push(kp);
    }
    // Simulate each account's transfer once; every round reuses its footprint,
    // resources and (source-account) auth with the next sequence number.
    const templates = await Promise.all(
      accounts.map(async (kp) => {
        const acct = await server.getAccount(kp.publicKey());
        const built = new TransactionBuilder(acct, { fee: BASE_FEE, networkPassphrase: net.passphrase })
          .addOperation(
            Operation.invokeContractFunction({
              contract: xlm,
              function: "transfer",
              args: [
                nativeToScVal(kp.publicKey(), { type: "address" }),
                nativeToScVal(recipient.publicKey(), { type: "address" }),
                nativeToScVal(1n, { type: "i128" }),
              ],
            }),
          )
          .setTimeout(0)
          .build();
        const prepared = await server.prepareTransaction(built);
        const v1 = prepared.toEnvelope().v1().tx();
        return {
          kp,
          seq: BigInt(prepared.sequence) - 1n, // the account's sequence number now
          op: v1.operations()[0]!,
          data: v1.ext().sorobanData(),
          fee: prepared.fee,
        };
      }),
    );
    const rounds: { sent: number; included: number; sendMs: number; closeMs: number; bytes: number }[] = [];
    const wall0 = performance.now();
    for (let r = 1; r <= QUEUE_ROUNDS; r++) {
      const txs = templates.map((t) => {
        const tx = new TransactionBuilder(
          new Account(t.kp.publicKey(), (t.seq + BigInt(r) - 1n).toString()),
          {
            fee: t.fee,
            networkPassphrase: net.passphrase,
            sorobanData: t.data,
          },
        )
          .addOperation(t.op)
          .setTimeout(0)
          .build();
        tx.sign(t.kp);
        return tx;
      });
      const t0 = performance.now();
      const sent = await Promise.all(txs.map((tx) => server.sendTransaction(tx)));
      const t1 = performance.now();
      const refused = sent.filter((x) => x.status !== "PENDING");
      if (refused.length > 0)
        throw new Error(
          `round ${r}: ${refused.length} not queued: ${JSON.stringify(refused[0])} ${refused[0]!.errorResult?.result().switch().name}`,
        );
      const closed = await close();
      const t2 = performance.now();
      // What did not fit stays queued: the next round's send from that account is
      // TRY_AGAIN_LATER, so drain the queue before the next round.
      let drained = closed.transactionCount;
      while (drained < sent.filter((x) => x.status === "PENDING").length)
        drained += (await close()).transactionCount;
      rounds.push({
        sent: sent.filter((x) => x.status === "PENDING").length,
        included: closed.transactionCount,
        sendMs: t1 - t0,
        closeMs: t2 - t1,
        bytes: txs[0]!.toEnvelope().toXDR().length,
      });
    }
    const wallS = (performance.now() - wall0) / 1000;
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)]!;
    const included = median(rounds.map((r) => r.included));
    const closeMs = median(rounds.map((r) => r.closeMs));
    return {
      profile: "pubnet",
      accounts: QUEUE_ACCOUNTS,
      rounds: QUEUE_ROUNDS,
      call: "native SAC transfer between G accounts, one per source account per ledger",
      envelopeBytes: rounds[0]!.bytes,
      medianIncludedPerLedger: included,
      medianSendAllMs: +median(rounds.map((r) => r.sendMs)).toFixed(1),
      medianCloseMs: +closeMs.toFixed(1),
      applyTps: +(included / (closeMs / 1000)).toFixed(0),
      atPubnetPace: { ledgerSeconds: 5, tps: +(included / 5).toFixed(1) },
      endToEndTps: +(rounds.reduce((n, r) => n + r.included, 0) / wallS).toFixed(1),
    };
  } finally {
    await net.stop();
  }
}

it("measures the devnet", async () => {
  const queue = await measureQueue();
  console.log(JSON.stringify({ queue }, null, 2));
  const net = await startDevnet({ profile: "pubnet" });
  try {
    const server = new rpc.Server(net.rpcUrl, { allowHttp: true });
    const admin = Keypair.random();
    await server.requestAirdrop(admin.publicKey());
    const opts = (kp: Keypair) => ({
      rpcUrl: net.rpcUrl,
      networkPassphrase: net.passphrase,
      allowHttp: true,
      publicKey: kp.publicKey(),
      ...contract.basicNodeSigner(kp, net.passphrase),
    });

    const submit = async (kp: Keypair, op: xdr.Operation) => {
      const acct = await server.getAccount(kp.publicKey());
      const built = new TransactionBuilder(acct, { fee: BASE_FEE, networkPassphrase: net.passphrase })
        .addOperation(op)
        .setTimeout(30)
        .build();
      const tx = await server.prepareTransaction(built);
      tx.sign(kp);
      const res = await server.pollTransaction((await server.sendTransaction(tx)).hash);
      if (res.status !== "SUCCESS") throw new Error("setup transaction failed");
      return res;
    };

    // Native XLM contract, then upload and deploy the stream contract.
    const xlm = Asset.native().contractId(net.passphrase);
    await submit(admin, Operation.createStellarAssetContract({ asset: Asset.native() }));
    const up = await submit(
      admin,
      Operation.uploadContractWasm({ wasm: readFileSync(resolve(ROOT, "artifacts", "stream.wasm")) }),
    );
    const wasmHash = Buffer.from(scValToNative(up.returnValue!) as Uint8Array);
    const deployed = await (await contract.Client.deploy(null, { ...opts(admin), wasmHash })).signAndSend();
    const contractId = (deployed.result as contract.Client).options.contractId;
    const client = (await contract.Client.from({ ...opts(admin), contractId })) as SpecClient;
    const recipient = Keypair.random().publicKey();
    const createArgs = async (sender: string) => {
      const now = BigInt((await server.getLatestLedger()).closeTime);
      return {
        params: {
          sender,
          recipient,
          token: xlm,
          schedule: {
            tag: "Linear",
            values: [{ start_ts: now, cliff_ts: now, end_ts: now + 2_592_000n, deposit: 2_592_000n }],
          },
          cancelable: true,
          transferable: false,
        },
      };
    };

    // 1. Simulation latency: contract.Client builds and simulates `create`
    //    (recorded auth, token transfer) and the `withdrawable` view.
    const args = await createArgs(admin.publicKey());
    const simCreate: number[] = [];
    for (let i = 0; i < SIMULATIONS; i++) {
      const t0 = performance.now();
      await client.create(args);
      simCreate.push(performance.now() - t0);
    }
    await (await client.create(args)).signAndSend();
    const simView: number[] = [];
    for (let i = 0; i < SIMULATIONS; i++) {
      const t0 = performance.now();
      await client.withdrawable({ id: 1n });
      simView.push(performance.now() - t0);
    }

    // 2. Send-to-confirmed for `create`: from sendTransaction until getTransaction reports SUCCESS.
    const send: number[] = [];
    for (let i = 0; i < SENDS; i++) {
      const a = await client.create(args);
      await a.sign();
      const t0 = performance.now();
      const sent = await server.sendTransaction(a.signed!);
      const done = await server.pollTransaction(sent.hash, { attempts: 100, sleepStrategy: () => 5 });
      send.push(performance.now() - t0);
      if (done.status !== "SUCCESS") throw new Error(`send ${i}: ${done.status}`);
    }

    // 3. Sustained throughput: TPS_SENDERS accounts each simulate, sign, send and confirm `create` in a loop.
    const senders = await Promise.all(
      Array.from({ length: TPS_SENDERS }, async () => {
        const kp = Keypair.random();
        await server.requestAirdrop(kp.publicKey());
        const c = (await contract.Client.from({ ...opts(kp), contractId })) as SpecClient;
        return { c, args: await createArgs(kp.publicKey()) };
      }),
    );
    let confirmed = 0;
    // Creates from different senders in one ledger all simulated against the same
    // stream count: only the first applied matches its footprint (see the report).
    let failed = 0;
    const start = performance.now();
    const end = start + TPS_SECONDS * 1000;
    await Promise.all(
      senders.map(async ({ c, args }) => {
        while (performance.now() < end) {
          const r = await (await c.create(args)).signAndSend().catch(() => undefined);
          // FAILED here is invokeHostFunctionTrapped at `put_contract_data`: another
          // sender's create in the same ledger took the stream id this one simulated.
          if (r?.getTransactionResponse?.status === "SUCCESS") confirmed++;
          else failed++;
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    const result = {
      profile: net.profile,
      date: new Date().toISOString(),
      machine: `${cpus().length} cores, ${cpus()[0]?.model ?? "unknown"}`,
      build: "cargo dev profile, dependencies at opt-level 2",
      calls: "stream contract via contract.Client: create (linear, native XLM) and the withdrawable view",
      simulateCreate: stats(simCreate),
      simulateWithdrawable: stats(simView),
      sendToConfirmed: stats(send),
      sustained: {
        senders: TPS_SENDERS,
        seconds: +elapsed.toFixed(1),
        confirmed,
        failed,
        tps: +(confirmed / elapsed).toFixed(1),
      },
      queue,
    };
    console.log(JSON.stringify(result, null, 2));
    writeFileSync(resolve(import.meta.dirname, "results.json"), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await net.stop();
  }
});
