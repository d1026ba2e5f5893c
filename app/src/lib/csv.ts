/**
 * Payroll CSV: one row per employee, validated row by row so a mistake names its row
 * and field. Columns (a header row is required, any order, case-insensitive):
 *
 *   recipient, amount_per_month, months, start[, reference]
 *
 * `amount_per_month` is in token units with decimals ("5000.50"), parsed exactly;
 * `start` is a UTC date ("2027-01-31") or date-time; `months` 1..=240. Each valid row
 * becomes an SDK `monthly` schedule (calendar months, first payday one month after
 * `start`).
 */
import { StrKey } from "@stellar/stellar-sdk";
import { MAX_TRANCHES, monthly, type TranchedParams } from "@tributary/sdk";
import { AmountInputError, parseAmount } from "./amount.js";
import { parseUtc } from "./time.js";

export interface PayrollRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  recipient: string;
  amountPerMonth: bigint;
  months: number;
  startTs: bigint;
  reference: string;
  schedule: TranchedParams;
  /** `amountPerMonth * months`, pulled from the sender at creation. */
  total: bigint;
}

export interface PayrollIssue {
  line: number;
  field: string;
  message: string;
}

export interface PayrollParse {
  rows: PayrollRow[];
  issues: PayrollIssue[];
  /** Sum of every valid row's total, base units. */
  total: bigint;
}

const REQUIRED = ["recipient", "amount_per_month", "months", "start"] as const;

/** Splits one CSV line, honouring double quotes ("a, b" stays one field; "" is a quote). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

/**
 * Validates a payroll CSV. `now` (ledger time, unix seconds) rejects starts in the
 * past; `decimals` is the token's. Every row is checked and every problem reported.
 */
export function parsePayrollCsv(
  text: string,
  opts: { decimals: number; now: bigint; sender?: string },
): PayrollParse {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const issues: PayrollIssue[] = [];
  const rows: PayrollRow[] = [];
  const header = splitCsvLine(lines[0] ?? "").map((h) => h.toLowerCase().replace(/[\s-]+/g, "_"));
  const col = Object.fromEntries(header.map((h, i) => [h, i]));
  const missing = REQUIRED.filter((h) => col[h] === undefined);
  if (missing.length) {
    issues.push({
      line: 1,
      field: missing.join(", "),
      message: `The header row must name the columns ${REQUIRED.join(", ")} (and optionally reference); missing: ${missing.join(", ")}.`,
    });
    return { rows, issues, total: 0n };
  }
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === "") continue;
    const line = i + 1;
    const f = splitCsvLine(raw);
    const get = (name: string) => f[col[name] ?? -1] ?? "";
    const rowIssues: PayrollIssue[] = [];
    const bad = (field: string, message: string) => rowIssues.push({ line, field, message });

    const recipient = get("recipient");
    if (!recipient) bad("recipient", "is empty.");
    else if (!StrKey.isValidEd25519PublicKey(recipient) && !StrKey.isValidContract(recipient))
      bad("recipient", `"${recipient}" is not a Stellar address (G... or C...).`);
    else if (opts.sender && recipient === opts.sender)
      bad("recipient", "is the sender's own address; a stream to yourself is refused by the contract.");

    let amountPerMonth = 0n;
    try {
      amountPerMonth = parseAmount(get("amount_per_month"), opts.decimals);
    } catch (e) {
      bad("amount_per_month", e instanceof AmountInputError ? e.message : String(e));
    }

    const monthsText = get("months");
    const months = /^\d+$/.test(monthsText) ? Number(monthsText) : Number.NaN;
    if (!Number.isInteger(months) || months < 1 || months > MAX_TRANCHES)
      bad("months", `"${monthsText}" must be a whole number from 1 to ${MAX_TRANCHES}.`);

    const startText = get("start");
    const startTs = parseUtc(startText);
    if (startTs === null) bad("start", `"${startText}" is not a date; use YYYY-MM-DD (UTC).`);
    else if (startTs < opts.now)
      bad("start", `${startText} is in the past; streams cannot start before now.`);

    if (rowIssues.length) {
      issues.push(...rowIssues);
      continue;
    }
    const schedule = monthly({ start: startTs!, months, amountPerMonth });
    rows.push({
      line,
      recipient,
      amountPerMonth,
      months,
      startTs: startTs!,
      reference: get("reference"),
      schedule,
      total: amountPerMonth * BigInt(months),
    });
  }
  if (rows.length === 0 && issues.length === 0)
    issues.push({ line: 2, field: "(rows)", message: "The file has a header but no rows." });
  return { rows, issues, total: rows.reduce((a, r) => a + r.total, 0n) };
}

/** "Row 4, amount_per_month: ..." */
export function describeIssue(i: PayrollIssue): string {
  return `Line ${i.line}, ${i.field}: ${i.message}`;
}
