// The stream contract on the devnet through contract.Client: create a linear
// stream funded in native XLM, warp half a month and observe accrual through
// the `amounts` view, withdraw with the recipient's signature, warp past
// the end, and read the contract's events back with getEvents.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Asset, contract, Keypair, Operation, rpc, scValToNative } from "@stellar/stellar-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Devnet, startDevnet } from "../helpers/devnet.js";
import type { SpecClient } from "../helpers/spec-client.js";
import { type Submit, submitter } from "../helpers/submit.js";

const WASM = resolve(import.meta.dirname, "..", "..", "artifacts", "stream.wasm");
const DAY = 86_400n;

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

describe("stream contract on the devnet", () => {
  it("accrues over a warped half month, pays the recipient and emits events", async () => {
    const sender = Keypair.random();
    const recipient = Keypair.random();
    await server.requestAirdrop(sender.publicKey());
    await server.requestAirdrop(recipient.publicKey());

    const xlm = Asset.native().contractId(net.passphrase);
    await submit(sender, Operation.createStellarAssetContract({ asset: Asset.native() }));
    const upload = await submit(sender, Operation.uploadContractWasm({ wasm: readFileSync(WASM) }));
    const wasmHash = Buffer.from(scValToNative(upload.response.returnValue!) as Uint8Array);
    const deployed = await (
      await contract.Client.deploy(null, { ...options(sender), wasmHash })
    ).signAndSend();
    const contractId = (deployed.result as contract.Client).options.contractId;
    const asSender = (await contract.Client.from({ ...options(sender), contractId })) as SpecClient;
    const asRecipient = (await contract.Client.from({ ...options(recipient), contractId })) as SpecClient;

    const fromLedger = (await server.getLatestLedger()).sequence + 1;
    const start = BigInt((await server.getLatestLedger()).closeTime);
    const duration = 30n * DAY;
    const ratePerSecond = 10n;
    const deposit = duration * ratePerSecond;
    const create = await asSender.create({
      params: {
        sender: sender.publicKey(),
        recipient: recipient.publicKey(),
        token: xlm,
        schedule: {
          tag: "Linear",
          values: [
            {
              start_ts: start,
              cliff_ts: start,
              end_ts: start + duration,
              deposit,
              start_unlock: 0n,
              cliff_unlock: 0n,
            },
          ],
        },
        cancelable: true,
        transferable: false,
        reference: Buffer.from("devnet-1"),
      },
    });
    const created = await create.signAndSend();
    const id = ok<bigint>(created.result);
    expect(id).toBe(1n);

    // Half a month later (ledger time), about half the deposit is withdrawable.
    await net.warp(Number(15n * DAY));
    const now = BigInt((await server.getLatestLedger()).closeTime);
    const withdrawable = ok<{ withdrawable: bigint }>(
      (await asRecipient.amounts({ id })).result,
    ).withdrawable;
    const expectedAtClose = ((now - start) * deposit) / duration;
    expect(withdrawable).toBeGreaterThanOrEqual(expectedAtClose);
    expect(withdrawable).toBeLessThanOrEqual(expectedAtClose + 60n * ratePerSecond);

    const before = (await server.getAccountEntry(recipient.publicKey())).balance().toBigInt();
    const withdraw = await asRecipient.withdraw_max({ id, to: recipient.publicKey() });
    const paid = ok<bigint>((await withdraw.signAndSend()).result);
    expect(paid).toBeGreaterThanOrEqual(withdrawable);
    const after = (await server.getAccountEntry(recipient.publicKey())).balance().toBigInt();
    const fee = BigInt(withdraw.built!.fee);
    expect(after - before).toBeGreaterThan(paid - fee);
    expect(after - before).toBeLessThanOrEqual(paid);

    // Past the end everything left is withdrawable.
    await net.warp(Number(16n * DAY));
    const rest = ok<{ withdrawable: bigint }>((await asRecipient.amounts({ id })).result).withdrawable;
    expect(rest).toBe(deposit - paid);

    // A getEvents call scans at most 10,000 ledgers (stellar-rpc's limit) and the
    // warps skipped far more: follow the cursor to the latest ledger.
    const filters: rpc.Api.EventFilter[] = [{ type: "contract", contractIds: [contractId] }];
    const found: rpc.Api.EventResponse[] = [];
    let page = await server.getEvents({ startLedger: fromLedger, filters });
    for (;;) {
      found.push(...page.events);
      const scanned = Number(BigInt(page.cursor.split("-")[0]!) >> 32n);
      if (scanned >= page.latestLedger) break;
      page = await server.getEvents({ cursor: page.cursor, filters });
    }
    const names = found.map((e) => scValToNative(e.topic[0]!));
    expect(names).toContain("created");
    expect(names.length).toBeGreaterThanOrEqual(2);
  });
});
