import {
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from '../../../layers/shared/src/domain/ticket-vocabulary.js';
import type { Ticket } from '../../../layers/shared/src/domain/ticket.js';
import { labelOf } from '../format.js';
import type { EditableField, TicketEdits } from '../triage.js';

function Choice<T extends string>({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: T;
  options: readonly T[];
  onChange: (value: T) => void;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => {
          const chosen = options.find((option) => option === event.currentTarget.value);
          if (chosen !== undefined) onChange(chosen);
        }}
      >
        {options.map((option) => (
          <option key={option} value={option}>
            {labelOf(option)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** An agent's triage: the ticket's values with the agent's unsaved choices over them; only changed fields are sent. */
export function TriageForm({
  ticket,
  edits,
  me,
  busy,
  onEdit,
  onSave,
}: {
  ticket: Ticket;
  edits: TicketEdits;
  me: string;
  busy: boolean;
  onEdit: <F extends EditableField>(field: F, value: Ticket[F]) => void;
  onSave: () => void;
}) {
  const values = { ...ticket, ...edits };
  return (
    <form
      class="triage"
      onSubmit={(event) => {
        event.preventDefault();
        onSave();
      }}
    >
      <Choice
        id="triage-status"
        label="Status"
        value={values.status}
        options={TICKET_STATUSES}
        onChange={(value) => {
          onEdit('status', value);
        }}
      />
      <Choice
        id="triage-priority"
        label="Priority"
        value={values.priority}
        options={TICKET_PRIORITIES}
        onChange={(value) => {
          onEdit('priority', value);
        }}
      />
      <Choice
        id="triage-category"
        label="Category"
        value={values.category}
        options={TICKET_CATEGORIES}
        onChange={(value) => {
          onEdit('category', value);
        }}
      />
      <div class="field">
        <label for="triage-assignee">Assignee</label>
        <div class="inline">
          <input
            id="triage-assignee"
            type="text"
            autoComplete="off"
            spellcheck={false}
            maxLength={128}
            placeholder="unassigned"
            value={values.assigneeId ?? ''}
            onInput={(event) => {
              const typed = event.currentTarget.value.trim();
              onEdit('assigneeId', typed === '' ? null : typed);
            }}
          />
          <button
            type="button"
            onClick={() => {
              onEdit('assigneeId', me);
            }}
          >
            Assign to me
          </button>
        </div>
      </div>
      <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
        Save changes
      </button>
    </form>
  );
}
