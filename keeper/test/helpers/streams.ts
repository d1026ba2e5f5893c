// A stream record for the keeper's pure unit tests (policy, decide): a linear
// 100-day stream of 1,000,000 units from T0, overridable field by field.

import type { Stream } from "@tributary/sdk";

export const T0 = 1_767_225_600n;
export const DAY = 86_400n;
export const TOKEN = "CTOKEN";

export function linearStream(over: Partial<Stream> = {}): Stream {
  return {
    id: 1n,
    sender: "GS",
    recipient: "GR",
    token: TOKEN,
    schedule: { kind: "linear", startTs: T0, cliffTs: T0, endTs: T0 + 100n * DAY },
    cancelable: true,
    transferable: false,
    status: "active",
    createdTs: T0,
    canceledTs: 0n,
    deposited: 1_000_000n,
    withdrawn: 0n,
    refunded: 0n,
    ...over,
  };
}
