// A hostile SEP-41 token for tests, as a hand-assembled Wasm module (no toolchain
// needed): `transfer(from, to, amount)` succeeds when `amount` is a large i128 (an
// I128 object: the deposit pulled at `create`) and otherwise loops until the host's
// budget runs out, failing any transaction that pays from it (a settlement). It
// is a real contract run by the real Soroban host; only its behaviour is hostile.

import { xdr } from "@stellar/stellar-sdk";

/** Deposits at least this large pass through (an i128 that no longer fits a small Val). */
export const HOSTILE_PASS_AMOUNT = 1n << 60n;

const u32leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const name = (s: string) => [...u32leb(s.length), ...Buffer.from(s, "utf8")];
const section = (id: number, body: number[]) => [id, ...u32leb(body.length), ...body];

export function hostileTokenWasm(protocol = 27): Buffer {
  const type = section(1, [1, 0x60, 3, 0x7e, 0x7e, 0x7e, 1, 0x7e]);
  const func = section(3, [1, 0]);
  const exp = section(7, [1, ...name("transfer"), 0x00, 0]);
  const body = [
    0, // no locals
    0x20,
    2, // local.get amount
    0x42,
    0xff,
    0x01, // i64.const 255
    0x83, // i64.and: the Val's tag
    0x42,
    0xc5,
    0x00, // i64.const 69 (I128Object)
    0x51, // i64.eq
    0x04,
    0x40, // if
    0x42,
    0x02, // i64.const 2 (Void)
    0x0f, // return
    0x0b, // end
    0x03,
    0x40,
    0x0c,
    0x00,
    0x0b, // loop br 0 end: spin until the budget runs out
    0x00, // unreachable
    0x0b, // end
  ];
  const code = section(10, [1, ...u32leb(body.length), ...body]);
  const meta = xdr.ScEnvMetaEntry.scEnvMetaKindInterfaceVersion(
    new xdr.ScEnvMetaEntryInterfaceVersion({ protocol, preRelease: 0 }),
  ).toXDR();
  const custom = section(0, [...name("contractenvmetav0"), ...meta]);
  return Buffer.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...type,
    ...func,
    ...exp,
    ...code,
    ...custom,
  ]);
}
