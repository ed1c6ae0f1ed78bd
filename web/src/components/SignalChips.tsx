import type { TriageSignal } from '../../../layers/shared/src/domain/ticket.js';

const chipText = (signal: TriageSignal): string =>
  signal.phrase === '' ? signal.kind : `${signal.kind}: “${signal.phrase}”`;

/**
 * The evidence behind a priority or category: each kind of signal with the
 * words that weighed, in the API's order; `limit` keeps a queue row short
 * (the ticket shows them all).
 */
export function SignalChips({ signals, limit }: { signals: readonly TriageSignal[]; limit?: number }) {
  if (signals.length === 0) return <span class="muted">none</span>;
  const shown = limit === undefined ? signals : signals.slice(0, limit);
  const hidden = signals.slice(shown.length);
  return (
    <ul class="chips">
      {shown.map((signal, index) => (
        <li key={index} class="chip">
          {chipText(signal)}
        </li>
      ))}
      {hidden.length > 0 && (
        <li class="chip more-chips" title={hidden.map(chipText).join('\n')}>
          +{hidden.length} more
        </li>
      )}
    </ul>
  );
}
