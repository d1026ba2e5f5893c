import { Keypair } from "@stellar/stellar-sdk";
import { addMonthsUtc } from "@tributary/sdk";
import { describe, expect, it } from "vitest";
import { describeIssue, parsePayrollCsv, splitCsvLine } from "../../src/lib/csv.js";

const A = Keypair.random().publicKey();
const B = Keypair.random().publicKey();
const NOW = BigInt(Date.UTC(2027, 0, 1) / 1000);
const opts = { decimals: 7, now: NOW };

describe("payroll CSV", () => {
  it("turns valid rows into monthly schedules with exact totals", () => {
    const csv = `recipient,amount_per_month,months,start,reference\n${A},5000.50,12,2027-01-31,"Alice, eng"\n\n${B},1,3,2027-02-01,`;
    const r = parsePayrollCsv(csv, opts);
    expect(r.issues).toEqual([]);
    expect(r.rows).toHaveLength(2);
    const [a, b] = r.rows;
    expect(a!.line).toBe(2);
    expect(a!.reference).toBe("Alice, eng");
    expect(a!.amountPerMonth).toBe(50_005_000_000n);
    expect(a!.schedule.tranches).toHaveLength(12);
    // Calendar months from Jan 31: Feb 28, Mar 31, ...
    expect(a!.schedule.tranches[0]!.unlockTs).toBe(BigInt(Date.UTC(2027, 1, 28) / 1000));
    expect(a!.schedule.tranches[1]!.unlockTs).toBe(addMonthsUtc(BigInt(Date.UTC(2027, 0, 31) / 1000), 2));
    expect(b!.line).toBe(4);
    expect(r.total).toBe(50_005_000_000n * 12n + 10_000_000n * 3n);
  });

  it("names the row and field of every problem", () => {
    const csv = [
      "Recipient, Amount per month ,MONTHS,start",
      `${A},100,12,2027-01-31`,
      `GBAD,100,12,2027-01-31`,
      `${A},1.123456789,12,2027-01-31`,
      `${A},100,0,2027-01-31`,
      `${A},100,241,2027-01-31`,
      `${A},100,12,2026-12-31`,
      `${A},100,12,31/01/2027`,
      `${A},-5,x,2027-02-30`,
    ].join("\n");
    const r = parsePayrollCsv(csv, opts);
    expect(r.rows.map((x) => x.line)).toEqual([2]);
    expect(r.issues.map((i) => `${i.line}:${i.field}`)).toEqual([
      "3:recipient",
      "4:amount_per_month",
      "5:months",
      "6:months",
      "7:start",
      "8:start",
      "9:amount_per_month",
      "9:months",
      "9:start",
    ]);
    expect(describeIssue(r.issues[0]!)).toBe(
      'Line 3, recipient: "GBAD" is not a Stellar address (G... or C...).',
    );
    expect(r.issues[1]!.message).toMatch(/7 decimals/);
    expect(r.issues[4]!.message).toMatch(/in the past/);
  });

  it("refuses a stream to the sender and a missing header", () => {
    expect(
      parsePayrollCsv(`recipient,amount_per_month,months,start\n${A},1,1,2027-02-01`, { ...opts, sender: A })
        .issues[0],
    ).toMatchObject({
      line: 2,
      field: "recipient",
    });
    const h = parsePayrollCsv(`who,amount,months,start\n${A},1,1,2027-02-01`, opts);
    expect(h.issues[0]).toMatchObject({ line: 1, field: "recipient, amount_per_month" });
    expect(parsePayrollCsv("recipient,amount_per_month,months,start\n", opts).issues[0]!.message).toMatch(
      /no rows/,
    );
  });

  it("splits quoted fields", () => {
    expect(splitCsvLine('a,"b, c","d ""e"""')).toEqual(["a", "b, c", 'd "e"']);
  });
});
