// The largest `settle_many` the pubnet profile accepts, through the unmodified
// @stellar/stellar-sdk: recipients are distinct G accounts holding an issued asset,
// so each settled stream emits the SAC's `transfer` event and the contract's
// `settled` event; the call returns the batch's total, one i128. stellar-core counts
// contract events and then the return value against one 16,384-byte limit (the
// soroban-sdk test meter leaves the return value out). The test measures the
// per-stream bytes from a settled batch, derives the largest batch that fits by that
// accounting, and checks that the devnet accepts exactly that many and refuses one
// more for the events budget. With a 3-letter asset code the boundary is 48 (before
// issue 8, when settle_many returned an i128 per id, it was 45); the SAC's `transfer`
// event carries the asset's name, so a longer code fits fewer.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Asset, contract, Keypair, Operation, rpc, scValToNative } from "@stellar/stellar-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Devnet, startDevnet } from "../helpers/devnet.js";
import type { SpecClient } from "../helpers/spec-client.js";
import { type Submit, submitter } from "../helpers/submit.js";

const WASM = resolve(import.meta.dirname, "..", "..", "artifacts", "stream.wasm");
const EVENTS_LIMIT = 16_384; // pubnet's tx_max_contract_events_size_bytes
const RECIPIENTS = 52;
const DAY = 86_400n;

let net: Devnet;
let server: rpc.Server;
let submit: Submit;

beforeAll(async () => {
  net = await startDevnet({ profile: "pubnet" });
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

function clientOptions(kp: Keypair) {
  return {
    rpcUrl: net.rpcUrl,
    networkPassphrase: net.passphrase,
    allowHttp: true,
    publicKey: kp.publicKey(),
    ...contract.basicNodeSigner(kp, net.passphrase),
  };
}

/** Contract-event and return-value bytes of a successful invocation, as stellar-core counts them. */
function eventBudgetUse(res: rpc.Api.GetSuccessfulTransactionResponse) {
  const events = (res.events?.contractEventsXdr ?? []).flat();
  const eventBytes = events.reduce((n, e) => n + e.toXDR().length, 0);
  return { events: events.length, eventBytes, returnBytes: res.returnValue!.toXDR().length };
}

describe("settle_many at pubnet's limits", () => {
  it("accepts the largest batch the events budget allows and refuses one more", async () => {
    const issuer = await funded();
    const sender = await funded();
    const usdc = new Asset("USD", issuer.publicKey());
    await submit(sender, Operation.changeTrust({ asset: usdc }));
    await submit(
      issuer,
      Operation.payment({ destination: sender.publicKey(), asset: usdc, amount: "1000000" }),
    );
    await submit(issuer, Operation.createStellarAssetContract({ asset: usdc }));
    const token = usdc.contractId(net.passphrase);

    const recipients: Keypair[] = [];
    for (let i = 0; i < RECIPIENTS; i++) recipients.push(await funded());
    // Different source accounts: these share ledgers.
    await Promise.all(recipients.map((r) => submit(r, Operation.changeTrust({ asset: usdc }))));

    const upload = await submit(sender, Operation.uploadContractWasm({ wasm: readFileSync(WASM) }));
    const wasmHash = Buffer.from(scValToNative(upload.response.returnValue!) as Uint8Array);
    const deployed = await (
      await contract.Client.deploy(null, { ...clientOptions(sender), wasmHash })
    ).signAndSend();
    const contractId = (deployed.result as contract.Client).options.contractId;
    const streams = (await contract.Client.from({ ...clientOptions(sender), contractId })) as SpecClient;

    const start = BigInt((await server.getLatestLedger()).closeTime);
    const ids: bigint[] = [];
    for (let i = 0; i < RECIPIENTS; i += 13) {
      const params = recipients.slice(i, i + 13).map((r) => ({
        sender: sender.publicKey(),
        recipient: r.publicKey(),
        token,
        schedule: {
          tag: "Linear",
          values: [
            {
              start_ts: start,
              cliff_ts: start,
              end_ts: start + 365n * DAY,
              deposit: 100_000_000_000n,
              start_unlock: 0n,
              cliff_unlock: 0n,
            },
          ],
        },
        cancelable: false,
        transferable: false,
        reference: Buffer.alloc(0),
      }));
      const created = await (await streams.create_batch({ params })).signAndSend();
      const batch = created.result as { unwrap?: () => bigint[] } | bigint[];
      ids.push(...(Array.isArray(batch) ? batch : batch.unwrap!()));
    }
    expect(ids).toHaveLength(RECIPIENTS);

    const settle = async (n: number) => {
      await net.warp(3_600); // an hour of accrual for every stream
      const tx = await streams.settle_many({ ids: ids.slice(0, n) });
      if (tx.simulation && rpc.Api.isSimulationError(tx.simulation))
        return { refusedInSimulation: tx.simulation.error };
      const sent = await tx.signAndSend({ force: true }).catch((e: unknown) => e);
      return { response: (sent as contract.SentTransaction<unknown>).getTransactionResponse };
    };

    // Measure: one `transfer` and one `settled` event per stream; the return value
    // is the total paid, one i128 (20 bytes) whatever the batch size.
    const probe = await settle(20);
    const probeRes = probe.response as rpc.Api.GetSuccessfulTransactionResponse;
    expect(probeRes.status).toBe(rpc.Api.GetTransactionStatus.SUCCESS);
    const use = eventBudgetUse(probeRes);
    expect(use.events).toBe(40);
    expect(use.eventBytes % 20).toBe(0);
    const perStream = use.eventBytes / 20;
    expect(use.returnBytes).toBe(20);
    const fits = Math.floor((EVENTS_LIMIT - use.returnBytes) / perStream);
    // Issue 8's goal: at least 48 streams with distinct G-account recipients.
    expect(fits).toBeGreaterThanOrEqual(48);
    expect(fits + 1).toBeLessThanOrEqual(RECIPIENTS);

    // The largest batch by that accounting is accepted ...
    const largest = await settle(fits);
    const ok = largest.response as rpc.Api.GetSuccessfulTransactionResponse;
    expect(ok?.status, JSON.stringify(largest.refusedInSimulation ?? "")).toBe(
      rpc.Api.GetTransactionStatus.SUCCESS,
    );
    const okUse = eventBudgetUse(ok);
    expect(okUse.eventBytes + okUse.returnBytes).toBeLessThanOrEqual(EVENTS_LIMIT);

    // ... and one more is refused for the events budget, the return value counted.
    const tooMany = await settle(fits + 1);
    if (tooMany.refusedInSimulation !== undefined) {
      expect(tooMany.refusedInSimulation).toMatch(/event/i);
    } else {
      const failed = tooMany.response as rpc.Api.GetFailedTransactionResponse;
      expect(failed.status).toBe(rpc.Api.GetTransactionStatus.FAILED);
      const opResult = failed.resultXdr.result().results()[0]!.tr().invokeHostFunctionResult();
      expect(opResult.switch().name).toBe("invokeHostFunctionResourceLimitExceeded");
      const messages = (failed.diagnosticEventsXdr ?? []).map((e) =>
        JSON.stringify(scValToNative(e.event().body().v0().data()), (_, v) =>
          typeof v === "bigint" ? v.toString() : v,
        ),
      );
      expect(
        messages.some((m) => /events size/.test(m)),
        messages.join("\n"),
      ).toBe(true);
      expect(failed.resultXdr.feeCharged().toBigInt()).toBeGreaterThan(0n); // the fee is charged
    }
  });
});
