// Devnet benchmark: median simulate latency, send-to-confirmed latency and
// sustained transactions per second for stream-contract calls, measured
// through the unmodified SDK over HTTP. Prints a JSON summary and writes it
// to bench/devnet/results.json; docs/benchmarks/devnet.md reports it.
// Run: npx vitest run --config bench/devnet/vitest.config.ts

import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import {
  Asset,
  BASE_FEE,
  contract,
  Keypair,
  Operation,
  rpc,
  scValToNative,
  TransactionBuilder,
  type xdr,
} from "@stellar/stellar-sdk";
import { it } from "vitest";
import { startDevnet } from "../../test/helpers/devnet.js";

const ROOT = resolve(import.meta.dirname, "..", "..");
const SIMULATIONS = Number(process.env.BENCH_SIMULATIONS ?? 200);
const SENDS = Number(process.env.BENCH_SENDS ?? 100);
const TPS_SECONDS = Number(process.env.BENCH_TPS_SECONDS ?? 15);
const TPS_SENDERS = Number(process.env.BENCH_TPS_SENDERS ?? 8);

/** A contract client with the methods `contract.Client` builds at runtime from the contract spec. */
// biome-ignore lint/suspicious/noExplicitAny: those methods have no static types
type SpecClient = contract.Client & Record<string, any>;

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

it("measures the devnet", async () => {
  const net = await startDevnet();
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
    const start = performance.now();
    const end = start + TPS_SECONDS * 1000;
    await Promise.all(
      senders.map(async ({ c, args }) => {
        while (performance.now() < end) {
          const r = await (await c.create(args)).signAndSend();
          if (r.getTransactionResponse?.status === "SUCCESS") confirmed++;
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    const result = {
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
        tps: +(confirmed / elapsed).toFixed(1),
      },
    };
    console.log(JSON.stringify(result, null, 2));
    writeFileSync(resolve(import.meta.dirname, "results.json"), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await net.stop();
  }
});
