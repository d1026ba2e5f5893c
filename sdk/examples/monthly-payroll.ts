// Create a monthly payroll: one tranched stream per employee, each paying a salary
// on the same calendar day every month (the 31st falls back to the last day of
// shorter months), all created in one transaction with create_batch.
//
//   TRIBUTARY_RPC_URL=http://127.0.0.1:8000/rpc TRIBUTARY_CONTRACT_ID=C... TRIBUTARY_TOKEN=C... \
//   SENDER_SECRET=S... EMPLOYEES=G...,G... node sdk/examples/monthly-payroll.ts

import { pathToFileURL } from "node:url";
import { KeypairSigner, monthly, network, StreamClient } from "@tributary/sdk";

export interface PayrollInput {
  rpcUrl: string;
  passphrase?: string;
  contractId: string;
  /** The token streamed (a SAC `C...`). */
  token: string;
  /** The employer's secret key (`S...`): pays the deposits. */
  senderSecret: string;
  employees: { address: string; salaryPerMonth: bigint }[];
  /** First pay day is one calendar month after this. */
  start: Date;
  months: number;
}

export async function createPayroll(input: PayrollInput): Promise<bigint[]> {
  const signer = KeypairSigner.fromSecret(input.senderSecret);
  const client = new StreamClient({
    network: network("devnet", {
      rpcUrl: input.rpcUrl,
      ...(input.passphrase ? { passphrase: input.passphrase } : {}),
    }),
    contractId: input.contractId,
    signer,
  });
  const sender = await signer.publicKey();
  const { result: ids } = await client.createBatch(
    input.employees.map((e) => ({
      sender,
      recipient: e.address,
      token: input.token,
      schedule: monthly({ start: input.start, months: input.months, amountPerMonth: e.salaryPerMonth }),
      cancelable: true, // the employer can stop future months; what has unlocked stays the employee's
      transferable: false,
    })),
  );
  for (const [i, id] of ids.entries()) console.log(`stream ${id}: ${input.employees[i]!.address}`);
  return ids;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = process.env;
  await createPayroll({
    rpcUrl: env.TRIBUTARY_RPC_URL ?? "http://127.0.0.1:8000/rpc",
    contractId: env.TRIBUTARY_CONTRACT_ID!,
    token: env.TRIBUTARY_TOKEN!,
    senderSecret: env.SENDER_SECRET!,
    employees: (env.EMPLOYEES ?? "")
      .split(",")
      .map((address) => ({ address, salaryPerMonth: 5_000n * 10_000_000n })),
    start: new Date(),
    months: 12,
  });
}
