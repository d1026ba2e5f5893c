/**
 * Create: a linear stream with a cliff, a monthly salary (calendar months through the
 * SDK's `monthly`, every payday previewed), an open-ended rate per day or month, or a
 * payroll CSV. Amounts are typed in token units and parsed exactly.
 */
import { StrKey } from "@stellar/stellar-sdk";
import {
  DAY_S,
  linear,
  MONTH_S,
  monthly,
  openEnded,
  type ScheduleParams,
  type TokenMetadata,
} from "@tributary/sdk";
import { type ReactNode, useEffect, useState } from "react";
import { ActionDialog } from "../components/ActionDialog.js";
import { Link } from "../components/Link.js";
import { formatToken, parseAmount } from "../lib/amount.js";
import { formatDate, formatDuration, formatTs, parseUtc } from "../lib/time.js";
import { useApp } from "../state.js";
import { Payroll } from "./Payroll.js";

type Shape = "linear" | "monthly" | "openEnded" | "payroll";
const SHAPES: { id: Shape; label: string }[] = [
  { id: "linear", label: "Linear with cliff" },
  { id: "monthly", label: "Monthly salary" },
  { id: "openEnded", label: "Open-ended rate" },
  { id: "payroll", label: "Payroll CSV" },
];

/** The token picked for the form, with its metadata. */
export function useTokenChoice(): {
  tokenId: string;
  setTokenId(t: string): void;
  token: TokenMetadata | null;
  error: string;
} {
  const { config, tokens } = useApp();
  const [tokenId, setTokenId] = useState(config.tokens[0] ?? "");
  const [token, setToken] = useState<TokenMetadata | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    setToken(null);
    setError("");
    if (!StrKey.isValidContract(tokenId)) {
      if (tokenId) setError("Enter a token contract address (C...).");
      return;
    }
    let live = true;
    tokens.metadata(tokenId).then(
      (m) => live && setToken(m),
      () => live && setError("That contract does not answer as a SEP-41 token on this network."),
    );
    return () => {
      live = false;
    };
  }, [tokenId, tokens]);
  return { tokenId, setTokenId, token, error };
}

function nowPlus(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString().slice(0, 16);
}

export function Create() {
  const { wallet } = useApp();
  const [shape, setShape] = useState<Shape>("linear");
  const tok = useTokenChoice();
  return (
    <section aria-labelledby="create-title">
      <h1 id="create-title">Create a stream</h1>
      {!wallet && (
        <p className="notice notice-warn">Connect a wallet to sign; you can fill the form first.</p>
      )}
      <div className="tabs" role="tablist" aria-label="Kind of stream">
        {SHAPES.map((s) => (
          <button
            key={s.id}
            type="button"
            role="tab"
            id={`tab-${s.id}`}
            aria-selected={shape === s.id}
            aria-controls={`panel-${s.id}`}
            className={shape === s.id ? "tab active" : "tab"}
            onClick={() => setShape(s.id)}
          >
            {s.label}
          </button>
        ))}
      </div>
      <div className="field">
        <label htmlFor="token">Token contract</label>
        <input id="token" value={tok.tokenId} onChange={(e) => tok.setTokenId(e.target.value.trim())} />
        <p className={tok.error ? "field-error" : "field-hint"}>
          {tok.error ||
            (tok.token ? `${tok.token.symbol}, ${tok.token.decimals} decimals` : "Reading the token...")}
        </p>
      </div>
      <div role="tabpanel" id={`panel-${shape}`} aria-labelledby={`tab-${shape}`}>
        {shape === "payroll" ? (
          <Payroll tokenId={tok.tokenId} token={tok.token} />
        ) : (
          <SingleForm key={shape} shape={shape} tokenId={tok.tokenId} token={tok.token} />
        )}
      </div>
    </section>
  );
}

function SingleForm({
  shape,
  tokenId,
  token,
}: {
  shape: Exclude<Shape, "payroll">;
  tokenId: string;
  token: TokenMetadata | null;
}) {
  const { wallet, network, writer } = useApp();
  const [recipient, setRecipient] = useState("");
  const [amount, setAmount] = useState("");
  const [start, setStart] = useState(nowPlus(300));
  const [days, setDays] = useState("30");
  const [cliffDays, setCliffDays] = useState("0");
  const [months, setMonths] = useState("12");
  const [per, setPer] = useState<"day" | "month">("month");
  const [deposit, setDeposit] = useState("");
  const [cancelable, setCancelable] = useState(true);
  const [transferable, setTransferable] = useState(true);
  const [created, setCreated] = useState<bigint | null>(null);

  const errors: Record<string, string> = {};
  const recipientOk = StrKey.isValidEd25519PublicKey(recipient) || StrKey.isValidContract(recipient);
  if (!recipientOk) errors.recipient = "Enter the recipient's Stellar address (G... or C...).";
  else if (recipient === wallet?.address)
    errors.recipient = "A stream to yourself is refused by the contract.";
  const dec = token?.decimals ?? 0;
  const amt = (text: string, field: string, allowZero = false): bigint | null => {
    try {
      return parseAmount(text, dec, { allowZero });
    } catch (e) {
      errors[field] = (e as Error).message;
      return null;
    }
  };
  const startTs = parseUtc(start);
  if (startTs === null) errors.start = "Enter a UTC date and time (YYYY-MM-DDTHH:MM).";
  const whole = (text: string, field: string, min: number, max: number) => {
    const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(n >= min && n <= max)) errors[field] = `Enter a whole number from ${min} to ${max}.`;
    return n;
  };

  let schedule: ScheduleParams | null = null;
  let preview: ReactNode = null;
  if (token) {
    if (shape === "linear") {
      const total = amt(amount, "amount");
      const d = whole(days, "days", 1, 36_525);
      const c = whole(cliffDays, "cliffDays", 0, 36_525);
      if (c >= d && !errors.cliffDays) errors.cliffDays = "The cliff must end before the stream does.";
      if (total !== null && startTs !== null && Object.keys(errors).every((k) => k === "recipient")) {
        schedule = linear({
          start: startTs,
          durationS: BigInt(d) * DAY_S,
          cliffS: BigInt(c) * DAY_S,
          deposit: total,
        });
        preview = (
          <p>
            Streams {formatToken(total, token)} from {formatTs(startTs)} to {formatTs(schedule.endTs)}, about{" "}
            {formatToken(total / BigInt(d), token, true)} a day (rounded down each second).
            {c > 0 &&
              ` Nothing can be withdrawn before ${formatTs(schedule.cliffTs)}; then what accrued since the start unlocks at once.`}
          </p>
        );
      }
    } else if (shape === "monthly") {
      const per = amt(amount, "amount");
      const n = whole(months, "months", 1, 240);
      if (per !== null && startTs !== null && !errors.months) {
        const s = monthly({ start: startTs, months: n, amountPerMonth: per });
        schedule = s;
        preview = (
          <>
            <p>
              {n} paydays of {formatToken(per, token)}: {formatToken(per * BigInt(n), token)} in total, pulled
              from you now.
            </p>
            <ol className="paydays" aria-label="Paydays">
              {s.tranches.map((tr) => (
                <li key={String(tr.unlockTs)}>
                  {formatDate(tr.unlockTs)}: {formatToken(tr.amount, token, true)}
                </li>
              ))}
            </ol>
          </>
        );
      }
    } else {
      const rate = amt(amount, "amount");
      const dep = amt(deposit || "0", "deposit", true);
      const periodS = per === "day" ? DAY_S : MONTH_S;
      if (rate !== null && dep !== null && startTs !== null) {
        schedule = openEnded({ amountPerPeriod: rate, periodS, start: startTs, deposit: dep });
        preview = (
          <p>
            Pays exactly {formatToken(rate, token)} every{" "}
            {per === "day" ? "day (86,400 s)" : `month (an average month, ${formatDuration(MONTH_S)})`},
            accruing every second, until you cancel. Funded with {formatToken(dep, token)}
            {dep > 0n
              ? `: that lasts ${formatDuration((dep * periodS) / rate)}.`
              : "; top it up before it starts."}
          </p>
        );
      }
    }
  }
  const valid = schedule !== null && Object.keys(errors).length === 0;
  const err = (f: string) =>
    errors[f] ? (
      <p className="field-error" id={`${f}-err`}>
        {errors[f]}
      </p>
    ) : null;
  const deposited = schedule
    ? schedule.kind === "tranched"
      ? schedule.tranches.reduce((a, t) => a + t.amount, 0n)
      : schedule.deposit
    : 0n;
  return (
    <form className="form" onSubmit={(e) => e.preventDefault()} aria-label="New stream">
      <div className="field">
        <label htmlFor="recipient">Recipient</label>
        <input
          id="recipient"
          value={recipient}
          onChange={(e) => setRecipient(e.target.value.trim())}
          aria-invalid={!!errors.recipient && recipient !== ""}
        />
        {recipient !== "" && err("recipient")}
      </div>
      <div className="field">
        <label htmlFor="amount">
          {shape === "linear"
            ? "Total amount"
            : shape === "monthly"
              ? "Amount per month"
              : "Amount per period"}
          {token ? ` (${token.symbol})` : ""}
        </label>
        <input id="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
        {amount !== "" && err("amount")}
      </div>
      {shape === "openEnded" && (
        <fieldset className="field">
          <legend>Period</legend>
          <label className="radio">
            <input type="radio" name="per" checked={per === "day"} onChange={() => setPer("day")} /> per day
          </label>
          <label className="radio">
            <input type="radio" name="per" checked={per === "month"} onChange={() => setPer("month")} /> per
            month
          </label>
        </fieldset>
      )}
      <div className="field">
        <label htmlFor="start">Start (UTC)</label>
        <input id="start" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />
        {err("start")}
      </div>
      {shape === "linear" && (
        <div className="row">
          <div className="field">
            <label htmlFor="days">Duration (days)</label>
            <input id="days" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} />
            {err("days")}
          </div>
          <div className="field">
            <label htmlFor="cliff">Cliff (days)</label>
            <input
              id="cliff"
              inputMode="numeric"
              value={cliffDays}
              onChange={(e) => setCliffDays(e.target.value)}
            />
            {err("cliffDays")}
          </div>
        </div>
      )}
      {shape === "monthly" && (
        <div className="field">
          <label htmlFor="months">Months</label>
          <input id="months" inputMode="numeric" value={months} onChange={(e) => setMonths(e.target.value)} />
          {err("months")}
        </div>
      )}
      {shape === "openEnded" && (
        <div className="field">
          <label htmlFor="deposit">Initial funding{token ? ` (${token.symbol})` : ""}</label>
          <input
            id="deposit"
            inputMode="decimal"
            value={deposit}
            onChange={(e) => setDeposit(e.target.value)}
            placeholder="0"
          />
          {err("deposit")}
        </div>
      )}
      <div className="row">
        <label className="check">
          <input type="checkbox" checked={cancelable} onChange={(e) => setCancelable(e.target.checked)} />{" "}
          Cancelable by me
        </label>
        <label className="check">
          <input type="checkbox" checked={transferable} onChange={(e) => setTransferable(e.target.checked)} />{" "}
          Transferable by the recipient
        </label>
      </div>
      {preview && (
        <div className="preview" data-testid="create-preview">
          {preview}
        </div>
      )}
      {created !== null && (
        <p className="notice notice-done" role="status">
          Created <Link to={`/stream/${created}`}>stream #{String(created)}</Link>.
        </p>
      )}
      <ActionDialog
        label="Review and create"
        title="Create this stream"
        variant="primary"
        disabled={!valid || !wallet || !network.ok}
        disabledReason={
          !wallet
            ? "Connect a wallet first"
            : !network.ok
              ? "Your wallet is on another network"
              : "Fix the form first"
        }
        confirmLabel="Sign and create"
        onConfirm={async () => {
          const r = await writer().create({
            sender: wallet!.address,
            recipient,
            token: tokenId,
            schedule: schedule!,
            cancelable,
            transferable,
          });
          setCreated(r.result);
          return `Created stream #${r.result}; ${formatToken(deposited, token!)} left your account.`;
        }}
      >
        {preview}
        <p>
          {formatToken(deposited, token ?? { decimals: 0, symbol: "" })} will be pulled from your account now.{" "}
          {cancelable ? "You can cancel it later." : "It cannot be canceled."}
        </p>
      </ActionDialog>
    </form>
  );
}
