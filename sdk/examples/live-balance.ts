// Show a live, ticking balance: read the stream once, then compute what is
// withdrawable every second locally with the SDK's exact accrual mirror, no RPC
// call per tick. The numbers are what the contract would pay at that second.
//
//   TRIBUTARY_RPC_URL=... TRIBUTARY_CONTRACT_ID=C... STREAM_ID=1 node sdk/examples/live-balance.ts

import { pathToFileURL } from "node:url";
import { type Amounts, amountsAt, network, StreamClient } from "@tributary/sdk";

export interface LiveBalanceInput {
  rpcUrl: string;
  passphrase?: string;
  contractId: string;
  streamId: bigint;
  /** How many ticks to show. */
  ticks: number;
  /** Milliseconds between ticks (1000 for a real display). */
  intervalMs: number;
}

export async function liveBalance(
  input: LiveBalanceInput,
  onTick: (t: bigint, a: Amounts) => void = print,
): Promise<Amounts[]> {
  const client = new StreamClient({
    network: network("devnet", {
      rpcUrl: input.rpcUrl,
      ...(input.passphrase ? { passphrase: input.passphrase } : {}),
    }),
    contractId: input.contractId,
  });
  // One read: the record, its tranches (tranched streams) and the ledger's clock.
  const { stream, tranches, closeTs } = await client.snapshot(input.streamId);
  // Anchor the local clock to the ledger's: ledger time = local time + skew.
  const skew = closeTs - BigInt(Math.floor(Date.now() / 1000));
  const shown: Amounts[] = [];
  for (let i = 0; i < input.ticks; i++) {
    const t = BigInt(Math.floor(Date.now() / 1000)) + skew;
    const a = amountsAt(stream, t, tranches);
    onTick(t, a);
    shown.push(a);
    if (i + 1 < input.ticks) await new Promise((r) => setTimeout(r, input.intervalMs));
  }
  return shown;
}

function print(t: bigint, a: Amounts): void {
  const fmt = (v: bigint) => `${v / 10_000_000n}.${(v % 10_000_000n).toString().padStart(7, "0")}`;
  console.log(
    `${new Date(Number(t) * 1000).toISOString()} withdrawable ${fmt(a.withdrawable)} (accrued ${fmt(a.accrued)}, debt ${fmt(a.debt)})`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = process.env;
  await liveBalance({
    rpcUrl: env.TRIBUTARY_RPC_URL ?? "http://127.0.0.1:8000/rpc",
    contractId: env.TRIBUTARY_CONTRACT_ID!,
    streamId: BigInt(env.STREAM_ID ?? "1"),
    ticks: Number(env.TICKS ?? "10"),
    intervalMs: Number(env.INTERVAL_MS ?? "1000"),
  });
}
