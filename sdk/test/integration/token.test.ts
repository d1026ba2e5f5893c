// TokenReader against a real Stellar Asset Contract on the devnet: SEP-41 metadata
// and balances by simulation, and named errors for bad input and missing contracts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimulationError, ValidationError } from "../../src/errors.js";
import { TokenReader } from "../../src/token.js";
import { startWorld, type World } from "./harness.js";

let world: World;
let reader: TokenReader;

beforeAll(async () => {
  world = await startWorld();
  reader = new TokenReader({ network: world.network, server: world.server });
}, 900_000);

afterAll(async () => {
  await world?.stop();
});

describe("TokenReader", () => {
  it("reads a Stellar Asset Contract's SEP-41 metadata", async () => {
    const m = await reader.metadata(world.tokenId);
    expect(m).toEqual({
      contractId: world.tokenId,
      name: `USDC:${world.issuer.publicKey()}`,
      symbol: "USDC",
      decimals: 7,
    });
    // Cached: the same promise's value again.
    expect(await reader.metadata(world.tokenId)).toBe(m);
  });

  it("reads balances in base units, 0 without a trustline", async () => {
    const holder = await world.party({ mint: 12_345n });
    const none = await world.party({ trust: false });
    expect(await reader.balance(world.tokenId, holder.address)).toBe(12_345n);
    expect(await reader.balance(world.tokenId, none.address)).toBe(0n);
  });

  it("names bad input and a contract that is not a token", async () => {
    await expect(reader.metadata("not-a-contract")).rejects.toBeInstanceOf(ValidationError);
    await expect(reader.balance(world.tokenId, "GBAD")).rejects.toBeInstanceOf(ValidationError);
    // The stream contract has no `symbol`: simulation fails, named.
    await expect(reader.metadata(world.contractId)).rejects.toBeInstanceOf(SimulationError);
  });
});
