// Create a monthly payroll: one tranched stream per employee, each paying a salary
// on the same calendar day every month (the 31st falls back to the last day of
// shorter months), all created in one transaction with create_batch. Employees who
// cannot be paid in the token yet (no account, no trustline, a deauthorized one) are
// reported and left out, so no stream is created that could not pay its recipient.
//
//   TRIBUTARY_RPC_URL=http://127.0.0.1:8000/rpc TRIBUTARY_CONTRACT_ID=C... TRIBUTARY_TOKEN=C... \
//   SENDER_SECRET=S... EMPLOYEES=G...,G... node sdk/examples/monthly-payroll.ts

import { pathToFileURL } from "node:url";
import { KeypairSigner, monthly, network, type ReceiveCheck, StreamClient } from "@tributary/sdk";

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

export interface PayrollResult {
  /** The new stream ids, in the order of `paid`. */
  ids: bigint[];
  /** The employees streams were created for. */
  paid: string[];
  /** The employees left out, and why. */
  skipped: { address: string; problem: string }[];
}

export async function createPayroll(input: PayrollInput): Promise<PayrollResult> {
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
  // Pre-flight: can each employee be paid in the token? (Reads only; nothing signed.)
  const checks: ReceiveCheck[] = await Promise.all(
    input.employees.map((e) => client.canReceive(e.address, input.token)),
  );
  const payable = input.employees.filter((_, i) => checks[i]!.ok);
  const skipped = input.employees.flatMap((e, i) => {
    const c = checks[i]!;
    return c.ok ? [] : [{ address: e.address, problem: c.detail }];
  });
  for (const s of skipped) console.log(`skipped ${s.address}: ${s.problem}`);
  if (payable.length === 0) return { ids: [], paid: [], skipped };
  const { result: ids } = await client.createBatch(
    payable.map((e) => ({
      sender,
      recipient: e.address,
      token: input.token,
      schedule: monthly({ start: input.start, months: input.months, amountPerMonth: e.salaryPerMonth }),
      cancelable: true, // the employer can stop future months; what has unlocked stays the employee's
      transferable: false,
    })),
    // Checks again right before signing: refuses the whole batch if anyone became unpayable.
    { checkRecipients: true },
  );
  for (const [i, id] of ids.entries()) console.log(`stream ${id}: ${payable[i]!.address}`);
  return { ids, paid: payable.map((e) => e.address), skipped };
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
