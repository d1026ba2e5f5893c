/**
 * "Outgoing": the connected address's streams as sender, with runway and an
 * out-of-funds warning for open-ended streams, and every sender action the contract
 * allows on each, behind a confirmation that states the exact effect.
 */
import type { Amounts, StreamWithTranches, TokenMetadata } from "@tributary/sdk";
import { useState } from "react";
import { ActionDialog } from "../components/ActionDialog.js";
import { Link } from "../components/Link.js";
import { Progress } from "../components/Progress.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { StreamList } from "../components/StreamList.js";
import { AmountInputError, formatAmount, formatToken, parseAmount } from "../lib/amount.js";
import { explainError } from "../lib/errors.js";
import { senderActions } from "../lib/status.js";
import { formatDuration, formatTs } from "../lib/time.js";
import { streamView } from "../lib/view.js";
import { useApp } from "../state.js";
import { short } from "./Incoming.js";

/** Below this much runway an open-ended stream gets a warning. */
const LOW_RUNWAY_S = 86_400n;

export function Outgoing() {
  return (
    <StreamList
      party="sender"
      title="Outgoing streams"
      titleId="out-title"
      testId="outgoing-list"
      connectTo="manage the streams you send"
      empty={() => (
        <>
          You have not sent any stream yet. <Link to="/create">Create one</Link>.
        </>
      )}
      card={(s, token, t, reload) => <OutgoingCard stream={s} token={token} t={t} onDone={reload} />}
    />
  );
}

function OutgoingCard({
  stream: s,
  token,
  t,
  onDone,
}: {
  stream: StreamWithTranches;
  token: TokenMetadata;
  t: bigint;
  onDone(): Promise<void>;
}) {
  const { network } = useApp();
  const v = streamView(s, t);
  const can = senderActions(s, v.status);
  const open = s.schedule.kind === "openEnded" ? s.schedule : null;
  const warn = open && s.status === "active" && v.runwayS !== null && v.runwayS < LOW_RUNWAY_S;
  const common = { stream: s, token, onDone, disabled: !network.ok };
  return (
    <article className="card" data-testid={`out-${s.id}`} aria-labelledby={`out-h-${s.id}`}>
      <header className="card-head">
        <h2 id={`out-h-${s.id}`}>
          <Link to={`/stream/${s.id}`}>Stream #{String(s.id)}</Link> to{" "}
          <span title={s.recipient}>{short(s.recipient)}</span>
        </h2>
        <StatusBadge status={v.status} />
      </header>
      {v.amounts.debt > 0n && (
        <p className="notice notice-error" role="alert">
          Out of funds: the recipient is owed {formatToken(v.amounts.debt, token)} that the stream cannot pay.
          Top it up.
        </p>
      )}
      {warn && v.amounts.debt === 0n && (
        <p className="notice notice-warn">
          Runs out of funds in {formatDuration(v.runwayS!)} (at {formatTs(t + v.runwayS!)}). Top it up to keep
          it streaming.
        </p>
      )}
      <Progress value={v.streamed} max={v.total} label={`Streamed of stream #${s.id}`} />
      <dl className="facts">
        {open && (
          <div>
            <dt>Rate</dt>
            <dd>
              {formatToken(open.amountPerPeriod, token, true)} every {formatDuration(open.periodS)}
            </dd>
          </div>
        )}
        {open && (
          <div>
            <dt>Runway</dt>
            <dd data-testid="runway">
              {v.runwayS === null ? "does not run out" : formatDuration(v.runwayS)}
            </dd>
          </div>
        )}
        <div>
          <dt>Deposited</dt>
          <dd>{formatToken(s.deposited, token, true)}</dd>
        </div>
        <div>
          <dt>Withdrawn by recipient</dt>
          <dd>{formatToken(s.withdrawn, token, true)}</dd>
        </div>
        <div>
          <dt>Unaccrued (refundable)</dt>
          <dd data-testid="refundable">{formatToken(v.amounts.refundable, token)}</dd>
        </div>
        <div>
          <dt>Cancelable</dt>
          <dd>{s.cancelable ? "yes" : "no"}</dd>
        </div>
      </dl>
      <p className="as-of">As of ledger time {formatTs(t)}</p>
      <div className="actions">
        {can.topUp && (
          <AmountAction
            {...common}
            label="Top up"
            what="add to the stream's funds"
            run={(c, amount, from) =>
              c.topUp({ id: s.id, from, amount }).then(() => `Added ${formatToken(amount, token)}.`)
            }
          />
        )}
        {can.pause && (
          <SimpleAction
            {...common}
            label="Pause"
            effect="Accrual stops now; what has accrued stays the recipient's. You can resume later."
            run={(c) => c.pause(s.id).then(() => "Paused.")}
          />
        )}
        {can.resume && (
          <SimpleAction
            {...common}
            label="Resume"
            effect="Accrual restarts now at the same rate."
            run={(c) => c.resume(s.id).then(() => "Resumed.")}
          />
        )}
        {can.setRate && open && (
          <AmountAction
            {...common}
            label="Change rate"
            what={`pay every ${formatDuration(open.periodS)} from now on (the period stays)`}
            run={(c, amount) =>
              c
                .setRate({ id: s.id, amountPerPeriod: amount })
                .then(
                  () =>
                    `The rate is now ${formatToken(amount, token)} every ${formatDuration(open.periodS)}.`,
                )
            }
          />
        )}
        {can.refund && (
          <AmountAction
            {...common}
            label="Refund"
            what={`take back from the unaccrued ${formatToken(v.amounts.refundable, token)}`}
            run={(c, amount) =>
              c
                .refund({ id: s.id, amount })
                .then((r) => `Refunded exactly ${formatToken(r.result, token)} to you.`)
            }
          />
        )}
        {can.cancel && <CancelAction {...common} />}
        {can.renounce && (
          <SimpleAction
            {...common}
            label="Renounce"
            variant="danger"
            effect="You give up the right to cancel this stream, for good. The recipient is then sure to receive the whole schedule."
            run={(c) => c.renounce(s.id).then(() => "Renounced: this stream can no longer be canceled.")}
          />
        )}
      </div>
    </article>
  );
}

type Writer = ReturnType<ReturnType<typeof useApp>["writer"]>;

function SimpleAction(p: {
  stream: StreamWithTranches;
  label: string;
  effect: string;
  variant?: "danger";
  disabled: boolean;
  run(c: Writer): Promise<string>;
  onDone(): Promise<void>;
}) {
  const { writer } = useApp();
  return (
    <ActionDialog
      label={p.label}
      title={`${p.label} stream #${p.stream.id}`}
      variant={p.variant ?? "secondary"}
      disabled={p.disabled}
      disabledReason="Your wallet is on another network"
      confirmLabel={`Sign and ${p.label.toLowerCase()}`}
      onConfirm={() => p.run(writer())}
      onDone={p.onDone}
      testId={`${p.label.toLowerCase()}-${p.stream.id}`}
    >
      <p>{p.effect}</p>
    </ActionDialog>
  );
}

function AmountAction(p: {
  stream: StreamWithTranches;
  token: TokenMetadata;
  label: string;
  what: string;
  disabled: boolean;
  run(c: Writer, amount: bigint, me: string): Promise<string>;
  onDone(): Promise<void>;
}) {
  const { writer, wallet } = useApp();
  const [text, setText] = useState("");
  let amount: bigint | null = null;
  let error = "";
  if (text !== "")
    try {
      amount = parseAmount(text, p.token.decimals);
    } catch (e) {
      error = e instanceof AmountInputError ? e.message : String(e);
    }
  const id = `${p.label.replace(/\s/g, "")}-${p.stream.id}`;
  return (
    <ActionDialog
      label={p.label}
      title={`${p.label}: stream #${p.stream.id}`}
      disabled={p.disabled}
      disabledReason="Your wallet is on another network"
      confirmLabel={`Sign: ${p.label.toLowerCase()}`}
      confirmDisabled={amount === null}
      onOpen={() => setText("")}
      onConfirm={() => p.run(writer(), amount!, wallet!.address)}
      onDone={p.onDone}
      testId={`${p.label.toLowerCase().replace(/\s/g, "-")}-${p.stream.id}`}
    >
      <div className="field">
        <label htmlFor={id}>
          Amount in {p.token.symbol} to {p.what}
        </label>
        <input
          id={id}
          inputMode="decimal"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={error !== ""}
        />
        <p className={error ? "field-error" : "field-hint"}>
          {error ||
            (amount !== null
              ? `Exactly ${formatToken(amount, p.token)}.`
              : `Up to ${p.token.decimals} decimals.`)}
        </p>
      </div>
    </ActionDialog>
  );
}

/** Cancel: the confirmation shows the refund the contract computes for the latest ledger. */
function CancelAction(p: {
  stream: StreamWithTranches;
  token: TokenMetadata;
  disabled: boolean;
  onDone(): Promise<void>;
}) {
  const { writer, reader } = useApp();
  const [quote, setQuote] = useState<{ amounts: Amounts; closeTs: bigint } | null>(null);
  const [error, setError] = useState("");
  const s = p.stream;
  const moving = s.status === "active";
  return (
    <ActionDialog
      label="Cancel"
      title={`Cancel stream #${s.id}`}
      variant="danger"
      disabled={p.disabled}
      disabledReason="Your wallet is on another network"
      confirmLabel="Sign and cancel"
      confirmDisabled={quote === null}
      testId={`cancel-${s.id}`}
      onOpen={() => {
        setQuote(null);
        setError("");
        void Promise.all([reader.amounts(s.id), reader.latestLedger()]).then(
          ([amounts, l]) => setQuote({ amounts, closeTs: l.closeTs }),
          (e) => setError(explainError(e).message),
        );
      }}
      onConfirm={async () => {
        const r = await writer().cancel(s.id);
        return `Canceled. Refunded exactly ${formatToken(r.result, p.token)} to you; what had accrued stays the recipient's.`;
      }}
      onDone={p.onDone}
    >
      {error && <p className="field-error">{error}</p>}
      {!quote && !error && <p>Asking the contract what a cancel refunds...</p>}
      {quote && (
        <>
          <p>
            Canceling stops the stream for good. You get back{" "}
            <strong data-testid="cancel-refund" data-units={String(quote.amounts.refundable)}>
              {formatToken(quote.amounts.refundable, p.token)}
            </strong>
            ; the recipient keeps {formatToken(quote.amounts.withdrawable, p.token)} to withdraw
            {quote.amounts.debt > 0n ? ` and is still owed ${formatToken(quote.amounts.debt, p.token)}` : ""}.
          </p>
          {moving && s.schedule.kind !== "openEnded" && (
            <p className="field-hint">
              Computed by the contract at ledger time {formatTs(quote.closeTs)}; the stream keeps accruing
              until the transaction lands, which lowers the refund by what accrues meanwhile.
            </p>
          )}
          {moving && s.schedule.kind === "openEnded" && (
            <p className="field-hint">
              Computed by the contract at ledger time {formatTs(quote.closeTs)}; until the transaction lands
              the stream accrues {formatAmount(s.schedule.amountPerPeriod, p.token.decimals, { trim: true })}{" "}
              {p.token.symbol} every {formatDuration(s.schedule.periodS)} from it.
            </p>
          )}
        </>
      )}
    </ActionDialog>
  );
}
