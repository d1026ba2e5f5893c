// Withdraw: the recipient takes everything withdrawable now (or a set amount) to
// any address. Named contract errors make the failure modes explicit.
//
//   TRIBUTARY_RPC_URL=... TRIBUTARY_CONTRACT_ID=C... RECIPIENT_SECRET=S... STREAM_ID=1 node sdk/examples/withdraw.ts

import { pathToFileURL } from "node:url";
import { AmountExceedsWithdrawableError, KeypairSigner, network, StreamClient } from "@tributary/sdk";

export interface WithdrawInput {
  rpcUrl: string;
  passphrase?: string;
  contractId: string;
  recipientSecret: string;
  streamId: bigint;
  /** Base units; omit to withdraw everything withdrawable now. */
  amount?: bigint;
  /** Where the tokens go; defaults to the recipient. */
  to?: string;
}

export async function withdraw(input: WithdrawInput): Promise<{ paid: bigint; hash: string }> {
  const signer = KeypairSigner.fromSecret(input.recipientSecret);
  const client = new StreamClient({
    network: network("devnet", {
      rpcUrl: input.rpcUrl,
      ...(input.passphrase ? { passphrase: input.passphrase } : {}),
    }),
    contractId: input.contractId,
    signer,
  });
  const to = input.to ?? (await signer.publicKey());
  try {
    const out =
      input.amount === undefined
        ? await client.withdrawMax({ id: input.streamId, to })
        : await client.withdraw({ id: input.streamId, to, amount: input.amount });
    console.log(`withdrew ${out.result} base units in ${out.hash}`);
    return { paid: out.result, hash: out.hash };
  } catch (e) {
    if (e instanceof AmountExceedsWithdrawableError) {
      console.error(`only ${await client.withdrawable(input.streamId)} base units are withdrawable now`);
    }
    throw e;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = process.env;
  await withdraw({
    rpcUrl: env.TRIBUTARY_RPC_URL ?? "http://127.0.0.1:8000/rpc",
    contractId: env.TRIBUTARY_CONTRACT_ID!,
    recipientSecret: env.RECIPIENT_SECRET!,
    streamId: BigInt(env.STREAM_ID ?? "1"),
  });
}
