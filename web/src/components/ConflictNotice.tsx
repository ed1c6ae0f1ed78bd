import type { TicketWithHistory } from '../../../layers/shared/src/domain/ticket.js';
import { formatInstant, formatValue, labelOf } from '../format.js';
import { changesSince, EDITABLE_FIELDS, FIELD_LABELS, type TicketEdits } from '../triage.js';

const shown = (field: string, value: unknown): string =>
  field === 'assigneeId' || value === null ? formatValue(value) : labelOf(formatValue(value));

/**
 * The ticket changed after the user read it (412): who changed it, its current
 * values next to the user's unsaved choices, and the user decides. Nothing is
 * sent again until they say so.
 */
export function ConflictNotice({
  current,
  baseVersion,
  edits,
  me,
  busy,
  onApply,
  onDiscard,
}: {
  current: TicketWithHistory;
  baseVersion: number;
  edits: TicketEdits;
  /** The signed-in user's id: their own replies are not blamed, their other changes read as `you`. */
  me: string;
  busy: boolean;
  onApply: () => void;
  onDiscard: () => void;
}) {
  const since = changesSince(current, baseVersion, { me, edits });
  const fields = EDITABLE_FIELDS.filter((field) => field in edits || since.fields.includes(field));
  return (
    <div role="alert" class="notice conflict">
      <p class="notice-title">
        Changed by {since.by.length > 0 ? since.by.join(', ') : 'someone else'}
        {since.at !== null && (
          <>
            {' '}
            at <time dateTime={since.at}>{formatInstant(since.at)}</time>
          </>
        )}
      </p>
      <p>This ticket changed after you opened it. Your changes are not saved yet.</p>
      <table class="compare">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Current value</th>
            <th scope="col">Your change</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => (
            <tr key={field}>
              <th scope="row">{FIELD_LABELS[field]}</th>
              <td>{shown(field, current[field])}</td>
              <td>{field in edits ? shown(field, edits[field]) : <span class="muted">unchanged</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="actions">
        <button type="button" class="primary" disabled={busy} onClick={onApply}>
          Apply my changes to the current version
        </button>
        <button type="button" disabled={busy} onClick={onDiscard}>
          Discard mine
        </button>
      </p>
    </div>
  );
}
