/**
 * Payroll import: a CSV validated row by row (row and field named), previewed with
 * totals, then created with as few `create_batch` transactions as the limits allow,
 * with progress. Rows that landed are remembered with their stream ids and never sent
 * again; a retry sends only the rest.
 */
import type { TokenMetadata } from "@tributary/sdk";
import { useState } from "react";
import { Link } from "../components/Link.js";
import { formatToken } from "../lib/amount.js";
import { createInBatches } from "../lib/batches.js";
import { describeIssue, type PayrollParse, type PayrollRow, parsePayrollCsv } from "../lib/csv.js";
import { explainError } from "../lib/errors.js";
import { formatDate } from "../lib/time.js";
import { useApp } from "../state.js";
import { short } from "./Incoming.js";

const EXAMPLE =
  "recipient,amount_per_month,months,start,reference\nG...,5000.00,12,2027-01-31,Alice (engineering)";

export function Payroll({ tokenId, token }: { tokenId: string; token: TokenMetadata | null }) {
  const { wallet, network, writer, reader } = useApp();
  const [text, setText] = useState("");
  const [parsed, setParsed] = useState<PayrollParse | null>(null);
  const [landed, setLanded] = useState(new Map<number, bigint>());
  const [progress, setProgress] = useState("");
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const validate = async (csv: string) => {
    setText(csv);
    setOutcome(null);
    if (!token) return;
    const { closeTs } = await reader.latestLedger();
    setParsed(
      parsePayrollCsv(csv, {
        decimals: token.decimals,
        now: closeTs,
        ...(wallet ? { sender: wallet.address } : {}),
      }),
    );
  };
  const pending = parsed?.rows.filter((r) => !landed.has(r.line)) ?? [];
  const create = async () => {
    if (!wallet || !token) return;
    setBusy(true);
    setOutcome(null);
    const client = writer();
    const res = await createInBatches(
      pending,
      async (batch: PayrollRow[]) =>
        (
          await client.createBatch(
            batch.map((r) => ({
              sender: wallet.address,
              recipient: r.recipient,
              token: tokenId,
              schedule: r.schedule,
              cancelable: true,
              transferable: false,
            })),
          )
        ).result,
      {
        onProgress: (done, total, size) =>
          setProgress(
            size ? `Creating rows ${done + 1}-${done + size} of ${total}...` : `All ${total} rows created.`,
          ),
      },
    );
    const next = new Map(landed);
    for (const l of res.landed) next.set(l.row.line, l.id);
    setLanded(next);
    setBusy(false);
    if (!res.error) {
      setOutcome({
        ok: true,
        message: `Created ${res.landed.length} streams in ${res.transactions} transaction(s).`,
      });
      return;
    }
    const lines = (rows: PayrollRow[]) => rows.map((r) => r.line).join(", ");
    setOutcome({
      ok: false,
      message: [
        explainError(res.error).message,
        res.landed.length ? `Created: lines ${lines(res.landed.map((l) => l.row))}.` : "No row was created.",
        res.unknown.length
          ? `Lines ${lines(res.unknown)} were sent but not confirmed: re-read Outgoing before retrying.`
          : "",
        res.notCreated.length
          ? `Not created: lines ${lines(res.notCreated)}. "Create" again sends only those.`
          : "",
      ]
        .filter(Boolean)
        .join(" "),
    });
  };

  return (
    <div className="payroll">
      <p>
        One row per person: <code>recipient, amount_per_month, months, start</code> and an optional{" "}
        <code>reference</code>. Amounts in token units; start is a UTC date; the first payday is one calendar
        month after it.
      </p>
      <div className="field">
        <label htmlFor="csv-file">CSV file</label>
        <input
          id="csv-file"
          type="file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (f) await validate(await f.text());
          }}
        />
      </div>
      <div className="field">
        <label htmlFor="csv-text">Or paste it</label>
        <textarea
          id="csv-text"
          rows={6}
          value={text}
          placeholder={EXAMPLE}
          onChange={(e) => setText(e.target.value)}
        />
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => void validate(text)}
          disabled={!token}
        >
          Check rows
        </button>
      </div>
      {parsed && parsed.issues.length > 0 && (
        <div className="notice notice-error" role="alert" data-testid="csv-issues">
          <p>
            {parsed.issues.length} problem{parsed.issues.length > 1 ? "s" : ""} found; nothing will be created
            until every row is valid:
          </p>
          <ul>
            {parsed.issues.map((i) => (
              <li key={`${i.line}-${i.field}`}>{describeIssue(i)}</li>
            ))}
          </ul>
        </div>
      )}
      {parsed && token && parsed.rows.length > 0 && (
        <>
          <table className="table" data-testid="csv-preview">
            <caption>
              {parsed.rows.length} streams, {formatToken(parsed.total, token)} in total
            </caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Recipient</th>
                <th scope="col">Per month</th>
                <th scope="col">Months</th>
                <th scope="col">First payday</th>
                <th scope="col">Total</th>
                <th scope="col">Reference</th>
                <th scope="col">Stream</th>
              </tr>
            </thead>
            <tbody>
              {parsed.rows.map((r) => (
                <tr key={r.line}>
                  <td>{r.line}</td>
                  <td title={r.recipient}>{short(r.recipient)}</td>
                  <td>{formatToken(r.amountPerMonth, token, true)}</td>
                  <td>{r.months}</td>
                  <td>{formatDate(r.schedule.tranches[0]!.unlockTs)}</td>
                  <td>{formatToken(r.total, token, true)}</td>
                  <td>{r.reference}</td>
                  <td>
                    {landed.has(r.line) ? (
                      <Link to={`/stream/${landed.get(r.line)}`}>#{String(landed.get(r.line))}</Link>
                    ) : (
                      "not yet"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="payroll-create"
            disabled={busy || parsed.issues.length > 0 || pending.length === 0 || !wallet || !network.ok}
            onClick={() => void create()}
          >
            {pending.length === parsed.rows.length
              ? `Sign and create ${pending.length} streams (${formatToken(parsed.total, token)})`
              : `Sign and create the ${pending.length} remaining streams`}
          </button>
        </>
      )}
      {progress && (
        <p role="status" className="field-hint" data-testid="payroll-progress">
          {progress}
        </p>
      )}
      {outcome && (
        <p
          className={`notice ${outcome.ok ? "notice-done" : "notice-error"}`}
          role={outcome.ok ? "status" : "alert"}
          data-testid="payroll-outcome"
        >
          {outcome.message}
        </p>
      )}
    </div>
  );
}
