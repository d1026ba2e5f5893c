import { type DisplayStatus, STATUS_LABEL, statusSentence } from "../lib/status.js";

export function StatusBadge({ status }: { status: DisplayStatus }) {
  return (
    <span className={`badge badge-${status}`} title={statusSentence(status)} data-status={status}>
      {STATUS_LABEL[status]}
    </span>
  );
}
