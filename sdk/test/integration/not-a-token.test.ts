// A contract that is not a SEP-41 token, passed as a stream's token: the failure is
// the token's (NotATokenError naming the contract and the function it lacks), not the
// stream contract's. Real Wasm contracts on the devnet over HTTP: one with a token's
// read functions and no `transfer` (test/fixtures/read-only-token, built by
// scripts/build-contract.sh), and a second stream contract, which has no `balance`.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotAStreamContractError, NotATokenError } from "../../src/errors.js";
import { linear } from "../../src/schedule.js";
import { type Party, startWorld, type World } from "./harness.js";

const READ_ONLY_TOKEN = resolve(import.meta.dirname, "..", "..", "..", "artifacts", "read-only-token.wasm");

let world: World;
let sender: Party;
let readOnlyToken: string;
let otherStreamContract: string;

beforeAll(async () => {
  world = await startWorld();
  sender = await world.party({ mint: 1_000_000n });
  [readOnlyToken, otherStreamContract] = await Promise.all([
    world.dev.deployStreamContract({ wasm: readFileSync(READ_ONLY_TOKEN) }),
    world.dev.deployStreamContract(),
  ]);
}, 900_000);

afterAll(async () => {
  await world?.stop();
});

async function createIn(token: string) {
  const now = await world.now();
  return sender.client.create({
    sender: sender.address,
    recipient: (await world.party()).address,
    token,
    cancelable: true,
    transferable: true,
    schedule: linear({ start: now + 100n, durationS: 1000n, deposit: 1000n }),
  });
}

describe("a stream whose token is not a SEP-41 token", () => {
  it("names the token and the function it lacks (transfer), not the stream contract", async () => {
    const e = await createIn(readOnlyToken).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotATokenError);
    expect(e).not.toBeInstanceOf(NotAStreamContractError);
    expect((e as NotATokenError).tokenId).toBe(readOnlyToken);
    expect((e as NotATokenError).missingFunction).toBe("transfer");
    expect((e as Error).message).toContain(readOnlyToken);
    expect(await world.reader.streamCount()).toBe(0n);
  });

  it("names the first function a contract without any token function lacks (balance)", async () => {
    const e = await createIn(otherStreamContract).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotATokenError);
    expect((e as NotATokenError).tokenId).toBe(otherStreamContract);
    expect((e as NotATokenError).missingFunction).toBe("balance");
  });

  it("still reports a stream client pointed at a token as NotAStreamContractError", async () => {
    const wrong = world.dev.client(readOnlyToken, sender.signer);
    const e = await wrong.streamCount().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotAStreamContractError);
    expect((e as NotAStreamContractError).contractId).toBe(readOnlyToken);
    expect((e as Error).message).toMatch(/no function `stream_count`/);
  });
});
