import type { TicketAnalysis } from '../../../layers/shared/src/domain/ticket.js';
import { labelOf } from '../format.js';
import { SignalChips } from './SignalChips.js';

const percent = (score: number): string => `${Math.round(score * 100)}%`;

const STATUS_NOTES = {
  complete: null,
  pending: 'Not analyzed yet: the findings appear once Amazon Comprehend has read the text.',
  failed: 'Amazon Comprehend could not analyze this text.',
} as const;

/** What the analysis found, and why the ticket got its priority and category. */
export function AnalysisPanel({ analysis }: { analysis: TicketAnalysis }) {
  const note = STATUS_NOTES[analysis.status];
  return (
    <>
      {note !== null && <p class={`notice analysis-${analysis.status}`}>{note}</p>}
      <dl class="facts">
        <dt>Status</dt>
        <dd>{labelOf(analysis.status)}</dd>
        <dt>Language</dt>
        <dd>{analysis.language ?? 'unknown'}</dd>
        <dt>Sentiment</dt>
        <dd>
          {analysis.sentiment === null ? (
            'unknown'
          ) : (
            <>
              {labelOf(analysis.sentiment.label)}{' '}
              <span class="muted">
                (positive {percent(analysis.sentiment.scores.positive)}, negative{' '}
                {percent(analysis.sentiment.scores.negative)}, neutral {percent(analysis.sentiment.scores.neutral)},
                mixed {percent(analysis.sentiment.scores.mixed)})
              </span>
            </>
          )}
        </dd>
        <dt>Key phrases</dt>
        <dd>
          {analysis.keyPhrases.length === 0 ? (
            <span class="muted">none</span>
          ) : (
            <ul class="chips">
              {analysis.keyPhrases.map((phrase, index) => (
                <li key={index} class="chip">
                  {phrase}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Priority signals</dt>
        <dd>
          <SignalChips signals={analysis.signals.priority} />
        </dd>
        <dt>Category signals</dt>
        <dd>
          <SignalChips signals={analysis.signals.category} />
        </dd>
        <dt>Redactions</dt>
        <dd>
          {analysis.redactions.length === 0 ? (
            <span class="muted">none</span>
          ) : (
            <ul class="plain">
              {analysis.redactions.map((redaction) => (
                <li key={redaction.type}>
                  {redaction.count} × {redaction.type}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </>
  );
}
