import type { TriageSignal } from '../../../layers/shared/src/domain/ticket.js';

/** The evidence behind a priority or category: each kind of signal with the words that weighed. */
export function SignalChips({ signals }: { signals: readonly TriageSignal[] }) {
  if (signals.length === 0) return <span class="muted">none</span>;
  return (
    <ul class="chips">
      {signals.map((signal, index) => (
        <li key={index} class="chip">
          {signal.phrase === '' ? signal.kind : `${signal.kind}: “${signal.phrase}”`}
        </li>
      ))}
    </ul>
  );
}
