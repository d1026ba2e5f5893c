/**
 * A button that opens a modal confirmation: the body states the exact effect, the
 * confirm button signs and sends, and the outcome (or a sentence explaining the
 * failure) is shown in place. Success and failure both re-read the chain (`onDone`)
 * when the dialog closes, so the view never shows a guess. Not sooner: the re-read can
 * remove the very action whose dialog is open (Cancel on a stream just canceled), and
 * with it the outcome the user has not read yet.
 */
import { type ReactNode, useId, useRef, useState } from "react";
import { explainError } from "../lib/errors.js";

export interface ActionDialogProps {
  label: string;
  title: string;
  /** Disables the opening button (e.g. no wallet, wrong network). */
  disabled?: boolean;
  /** Why it is disabled, for the tooltip and screen readers. */
  disabledReason?: string;
  variant?: "primary" | "secondary" | "danger";
  children: ReactNode;
  confirmLabel: string;
  /** Disables confirm while inputs are invalid. */
  confirmDisabled?: boolean;
  /** Signs and sends; returns the success sentence. */
  onConfirm(): Promise<string>;
  onDone?(): void | Promise<void>;
  onOpen?(): void;
  testId?: string;
}

export function ActionDialog(p: ActionDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [phase, setPhase] = useState<"idle" | "pending" | "done" | "error">("idle");
  // The body renders only while open: a list of cards ticking every second then
  // re-renders one button per action, not every form.
  const [isOpen, setOpen] = useState(false);
  const [message, setMessage] = useState("");
  // A confirm ran (the chain may have changed): re-read it when the dialog closes.
  const stale = useRef(false);
  const open = () => {
    setPhase("idle");
    setMessage("");
    p.onOpen?.();
    setOpen(true);
    ref.current?.showModal();
  };
  const close = () => ref.current?.close();
  const confirm = async () => {
    setPhase("pending");
    setMessage("Waiting for your signature and the network...");
    try {
      const msg = await p.onConfirm();
      setPhase("done");
      setMessage(msg);
    } catch (e) {
      const ex = explainError(e);
      setPhase("error");
      setMessage(ex.message);
    }
    stale.current = true;
  };
  const closed = () => {
    setOpen(false);
    if (!stale.current) return;
    stale.current = false;
    void p.onDone?.();
  };
  return (
    <>
      <button
        type="button"
        className={`btn btn-${p.variant === "danger" ? "danger-outline" : (p.variant ?? "secondary")}`}
        onClick={open}
        disabled={p.disabled}
        title={p.disabled ? p.disabledReason : undefined}
        data-testid={p.testId}
      >
        {p.label}
      </button>
      <dialog
        ref={ref}
        onClose={closed}
        aria-labelledby={titleId}
        className="dialog"
        data-testid={p.testId ? `${p.testId}-dialog` : undefined}
      >
        {isOpen && <h2 id={titleId}>{p.title}</h2>}
        {isOpen && <div className="dialog-body">{p.children}</div>}
        {isOpen && message && (
          <p
            className={`notice notice-${phase}`}
            role={phase === "error" ? "alert" : "status"}
            data-testid="tx-outcome"
          >
            {message}
          </p>
        )}
        {isOpen && (
          <div className="dialog-actions">
            <button type="button" className="btn btn-secondary" onClick={close}>
              {phase === "done" ? "Close" : "Back"}
            </button>
            {phase !== "done" && (
              <button
                type="button"
                className={`btn btn-${p.variant === "danger" ? "danger" : "primary"}`}
                onClick={() => void confirm()}
                disabled={p.confirmDisabled || phase === "pending"}
                data-testid="confirm"
              >
                {phase === "pending" ? "Sending..." : p.confirmLabel}
              </button>
            )}
          </div>
        )}
      </dialog>
    </>
  );
}
