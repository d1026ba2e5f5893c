/** "Incoming": every stream paying the connected address, ticking every second. */
import { StrKey } from "@stellar/stellar-sdk";
import type { StreamWithTranches, TokenMetadata } from "@tributary/sdk";
import { useState } from "react";
import { ActionDialog } from "../components/ActionDialog.js";
import { Link } from "../components/Link.js";
import { Progress } from "../components/Progress.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { StreamList } from "../components/StreamList.js";
import { formatAmount, formatToken, parseAmount } from "../lib/amount.js";
import { formatTs } from "../lib/time.js";
import { streamView } from "../lib/view.js";
import { useApp } from "../state.js";

export function Incoming() {
  return (
    <StreamList
      party="recipient"
      title="Incoming streams"
      titleId="incoming-title"
      testId="incoming-list"
      connectTo="see the streams paying you"
      empty={(address) => `No stream pays this address yet. Streams sent to ${short(address)} appear here.`}
      card={(s, token, t, reload) => <IncomingCard stream={s} token={token} t={t} onDone={reload} />}
    />
  );
}

export function short(a: string): string {
  return `${a.slice(0, 4)}...${a.slice(-4)}`;
}

function IncomingCard(props: {
  stream: StreamWithTranches;
  token: TokenMetadata;
  t: bigint;
  onDone(): Promise<void>;
}) {
  const { stream: s, token, t } = props;
  const { wallet, network, writer } = useApp();
  const v = streamView(s, t);
  const blocked = !network.ok;
  const blockedReason = "Your wallet is on another network";
  return (
    <article className="card" data-testid={`stream-${s.id}`} aria-labelledby={`in-${s.id}`}>
      <header className="card-head">
        <h2 id={`in-${s.id}`}>
          <Link to={`/stream/${s.id}`}>Stream #{String(s.id)}</Link>
        </h2>
        <StatusBadge status={v.status} />
      </header>
      <p className="balance" aria-live="off">
        <span className="balance-label">Withdrawable now</span>
        <span className="balance-row">
          <span
            className="balance-value"
            data-testid="withdrawable"
            data-units={String(v.amounts.withdrawable)}
            data-ledger-ts={String(t)}
          >
            {formatAmount(v.amounts.withdrawable, token.decimals)}
          </span>{" "}
          <span className="balance-symbol">{token.symbol}</span>
        </span>
      </p>
      <Progress value={v.streamed} max={v.total} label={`Streamed of stream #${s.id}`} />
      <dl className="facts">
        <div>
          <dt>Streamed</dt>
          <dd>
            {formatToken(v.streamed, token, true)} of {formatToken(v.total, token, true)}
          </dd>
        </div>
        <div>
          <dt>Withdrawn so far</dt>
          <dd data-testid="withdrawn">{formatToken(s.withdrawn, token, true)}</dd>
        </div>
        {v.amounts.debt > 0n && (
          <div>
            <dt>Owed (unfunded)</dt>
            <dd>{formatToken(v.amounts.debt, token, true)}</dd>
          </div>
        )}
        {v.nextUnlockTs !== null && (
          <div>
            <dt>Next unlock</dt>
            <dd>{formatTs(v.nextUnlockTs)}</dd>
          </div>
        )}
        <div>
          <dt>From</dt>
          <dd title={s.sender}>{short(s.sender)}</dd>
        </div>
      </dl>
      <p className="as-of">As of ledger time {formatTs(t)}</p>
      <div className="actions">
        <WithdrawDialog
          {...props}
          disabled={blocked}
          reason={blockedReason}
          writerFor={writer}
          me={wallet!.address}
        />
        {s.transferable && s.status !== "canceled" && (
          <TransferDialog stream={s} disabled={blocked} onDone={props.onDone} />
        )}
      </div>
    </article>
  );
}

function WithdrawDialog(props: {
  stream: StreamWithTranches;
  token: TokenMetadata;
  t: bigint;
  me: string;
  disabled: boolean;
  reason: string;
  writerFor(): ReturnType<ReturnType<typeof useApp>["writer"]>;
  onDone(): Promise<void>;
}) {
  const { stream: s, token, t } = props;
  const [mode, setMode] = useState<"all" | "exact">("all");
  const [amountText, setAmountText] = useState("");
  const [to, setTo] = useState(props.me);
  const withdrawable = streamView(s, t).amounts.withdrawable;
  let amount: bigint | null = null;
  let amountError = "";
  if (mode === "exact") {
    try {
      amount = parseAmount(amountText, token.decimals);
      if (amount > withdrawable)
        amountError = `That is more than the ${formatToken(withdrawable, token, true)} withdrawable now.`;
    } catch (e) {
      amountError = (e as Error).message;
    }
  }
  const toOk = StrKey.isValidEd25519PublicKey(to) || StrKey.isValidContract(to);
  return (
    <ActionDialog
      label="Withdraw"
      title={`Withdraw from stream #${s.id}`}
      variant="primary"
      disabled={props.disabled || withdrawable === 0n}
      disabledReason={props.disabled ? props.reason : "Nothing is withdrawable yet"}
      confirmLabel="Sign and withdraw"
      confirmDisabled={!toOk || (mode === "exact" && (amount === null || amountError !== ""))}
      testId={`withdraw-${s.id}`}
      onOpen={() => {
        setMode("all");
        setAmountText("");
        setTo(props.me);
      }}
      onConfirm={async () => {
        const c = props.writerFor();
        if (mode === "exact" && amount !== null) {
          const r = await c.withdraw({ id: s.id, to, amount });
          return `Withdrew exactly ${formatToken(r.result, token)} to ${short(to)}. The view shows the new on-chain state.`;
        }
        const r = await c.withdrawMax({ id: s.id, to });
        return `Withdrew ${formatToken(r.result, token)} (everything withdrawable at ledger ${r.ledger}) to ${short(to)}.`;
      }}
      onDone={props.onDone}
    >
      <fieldset className="field">
        <legend>How much</legend>
        <label className="radio">
          <input
            type="radio"
            name={`mode-${s.id}`}
            checked={mode === "all"}
            onChange={() => setMode("all")}
          />
          Everything withdrawable when the transaction lands (now {formatToken(withdrawable, token)}, growing)
        </label>
        <label className="radio">
          <input
            type="radio"
            name={`mode-${s.id}`}
            checked={mode === "exact"}
            onChange={() => setMode("exact")}
          />
          An exact amount
        </label>
      </fieldset>
      {mode === "exact" && (
        <div className="field">
          <label htmlFor={`amt-${s.id}`}>Amount in {token.symbol}</label>
          <input
            id={`amt-${s.id}`}
            inputMode="decimal"
            value={amountText}
            onChange={(e) => setAmountText(e.target.value)}
            aria-invalid={amountError !== ""}
            aria-describedby={`amt-${s.id}-msg`}
            data-testid="withdraw-amount"
          />
          <p id={`amt-${s.id}-msg`} className={amountError ? "field-error" : "field-hint"}>
            {amountError ||
              (amount !== null
                ? `You will receive exactly ${formatToken(amount, token)}.`
                : `Up to ${token.decimals} decimals.`)}
          </p>
        </div>
      )}
      <div className="field">
        <label htmlFor={`to-${s.id}`}>Pay to</label>
        <input
          id={`to-${s.id}`}
          value={to}
          onChange={(e) => setTo(e.target.value.trim())}
          aria-invalid={!toOk}
        />
        {!toOk && <p className="field-error">Enter a Stellar address (G... or C...).</p>}
      </div>
    </ActionDialog>
  );
}

function TransferDialog(props: { stream: StreamWithTranches; disabled: boolean; onDone(): Promise<void> }) {
  const { writer } = useApp();
  const [to, setTo] = useState("");
  const ok =
    (StrKey.isValidEd25519PublicKey(to) || StrKey.isValidContract(to)) && to !== props.stream.recipient;
  return (
    <ActionDialog
      label="Transfer"
      title={`Transfer stream #${props.stream.id}`}
      disabled={props.disabled}
      disabledReason="Your wallet is on another network"
      confirmLabel="Sign and transfer"
      confirmDisabled={!ok}
      onConfirm={async () => {
        await writer().transfer({ id: props.stream.id, newRecipient: to });
        return `Stream #${props.stream.id} now pays ${short(to)}, including what you had not withdrawn.`;
      }}
      onDone={props.onDone}
    >
      <p>
        The new recipient receives the stream and everything in it that you have not withdrawn. This cannot be
        undone by you.
      </p>
      <div className="field">
        <label htmlFor={`tr-${props.stream.id}`}>New recipient</label>
        <input id={`tr-${props.stream.id}`} value={to} onChange={(e) => setTo(e.target.value.trim())} />
      </div>
    </ActionDialog>
  );
}
