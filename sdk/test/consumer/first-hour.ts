// An integrator's first hour, as a consumer project sees the SDK: installed from the
// packed tarball next to its own @stellar/stellar-sdk (a peer dependency), type-checked
// with `strict`, and run with plain `node` against a local devnet. sdk/test/package.test.ts
// copies this file into a fresh temporary project; it imports nothing from this repo.
//
//   node first-hour.ts http://127.0.0.1:8000/rpc

import { rpc } from "@stellar/stellar-sdk";
import {
  AmountExceedsWithdrawableError,
  amountsAt,
  monthly,
  type ReceiveCheck,
  RecipientCannotReceiveError,
} from "@tributary/sdk";
import { Devnet } from "@tributary/sdk/devnet";

const rpcUrl = process.argv[2] ?? "http://127.0.0.1:8000/rpc";
const UNIT = 10_000_000n; // 7 decimals
const say = (line: string) => console.log(line);

// Our own stellar-sdk's RPC client is accepted: one copy of stellar-sdk in the project.
const server = new rpc.Server(rpcUrl, { allowHttp: true });
const dev = await Devnet.connect({ rpcUrl, server });
say(`network: ${dev.network.passphrase} (friendbot ${dev.network.friendbotUrl})`);

const contractId = await dev.deployStreamContract(); // the Wasm shipped in the package
say(`stream contract: ${contractId}`);
const usdc = await dev.issueToken({ code: "USDC" });
say(`token: ${usdc.asset.getCode()} ${usdc.contractId}`);

const employer = await dev.newAccount({ token: usdc, mint: 200_000n * UNIT });
const alice = await dev.newAccount({ token: usdc });
const bob = await dev.newAccount(); // no trustline yet
const client = dev.client(contractId, employer.signer);

const checks: [string, ReceiveCheck][] = [
  ["alice", await client.canReceive(alice.address, usdc.contractId)],
  ["bob", await client.canReceive(bob.address, usdc.contractId)],
];
for (const [who, c] of checks) say(`canReceive ${who}: ${c.ok ? "yes" : `no (${c.problem})`}`);

const now = await dev.now();
const stream = (recipient: string) => ({
  sender: employer.address,
  recipient,
  token: usdc.contractId,
  schedule: monthly({ start: now, months: 12, amountPerMonth: 5_000n * UNIT }),
  cancelable: true,
  transferable: false,
});

try {
  await client.createBatch([stream(alice.address), stream(bob.address)], { checkRecipients: true });
} catch (e) {
  if (!(e instanceof RecipientCannotReceiveError)) throw e;
  say(`payroll refused: ${e.recipients.map((r) => `#${r.index} ${r.problem}`).join(", ")}`);
}
await usdc.trust(bob);
const { result: ids } = await client.createBatch([stream(alice.address), stream(bob.address)], {
  checkRecipients: true,
});
say(`payroll created: streams ${ids.join(", ")}`);

await dev.warp(32n * 86_400n);
const { stream: s, tranches, closeTs } = await client.snapshot(ids[0]!);
say(`alice can withdraw ${amountsAt(s, closeTs, tranches).withdrawable / UNIT} USDC`);

const asAlice = dev.client(contractId, alice.signer);
try {
  await asAlice.withdraw({ id: ids[0]!, to: alice.address, amount: 6_000n * UNIT });
} catch (e) {
  if (!(e instanceof AmountExceedsWithdrawableError)) throw e;
  say(`withdrawing 6000: ${e.variant} (${e.code})`);
}
const paid = await asAlice.withdrawMax({ id: ids[0]!, to: alice.address });
say(`alice withdrew ${paid.result / UNIT} USDC; balance ${(await usdc.balance(alice.address)) / UNIT} USDC`);
