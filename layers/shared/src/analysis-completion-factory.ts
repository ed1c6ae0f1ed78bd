import { loadOnce } from './load-once.js';
import type { AnalysisCompletion } from './analysis/analysis-completion.js';
import type { AnalysisSubject, CommentAnalysisCompletionStore } from './domain/comment-repository.js';
import type { AnalysisCompletionStore } from './domain/ticket-repository.js';
import { createComprehendBatchClient } from './aws-clients.js';
import { config } from './config.js';
import { businessMetrics } from './metrics.js';
import { subjectOfStreamRecord } from './repository/ticket-stream.js';
import { streamHandler } from './stream/stream-handler.js';
import type { SubjectsProcessor } from './stream/stream-records.js';
import { commentRepository, serviceLevelTargets, ticketRepository } from './table-access.js';

/*
 * The analyze-ticket function's wiring (entry point
 * `@aws-support-system/shared/analysis-completion`): completes the pending
 * analyses of tickets and comments from the table's stream with Comprehend's
 * batch operations. The completion, its Comprehend client and the repositories
 * are loaded and built on the first batch, once per execution environment.
 */

const loadCompletion = loadOnce(async (): Promise<AnalysisCompletion> => {
  const settings = config();
  const [{ AnalysisCompletion }, { ComprehendBatchAnalyzer, DEFAULT_RETRY_POLICY }, client] = await Promise.all([
    import('./analysis/analysis-completion.js'),
    import('./analysis/comprehend-batch.js'),
    createComprehendBatchClient(settings),
  ]);
  return new AnalysisCompletion({
    repository: countingTicketCompletions(ticketRepository()),
    comments: countingCommentCompletions(commentRepository()),
    comprehend: new ComprehendBatchAnalyzer({
      client,
      retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: settings.analysisCompletion.maxAttempts },
    }),
    serviceLevelTargets: serviceLevelTargets(),
  });
});

/** The process's completion of pending analyses; what it needs is loaded on its first batch. */
export function analysisCompletion(): Pick<AnalysisCompletion, 'completeAndListRetries'> {
  return {
    completeAndListRetries: async (subjects: readonly AnalysisSubject[]) =>
      (await loadCompletion()).completeAndListRetries(subjects),
  };
}

/**
 * The completion's stores, counting each analysis completed from the stream
 * once it is stored, by its outcome (`complete`, or `failed` when Comprehend
 * refused the text): a write that loses to a concurrent change counts nothing.
 */
function countingTicketCompletions(store: AnalysisCompletionStore): AnalysisCompletionStore {
  return {
    getWithWholeHistory: (id) => store.getWithWholeHistory(id),
    completeAnalysis: async (completion) => {
      await store.completeAnalysis(completion);
      businessMetrics.analysisCompleted('ticket', completion.analysis.status);
    },
  };
}

function countingCommentCompletions(store: CommentAnalysisCompletionStore): CommentAnalysisCompletionStore {
  return {
    getComment: (ref) => store.getComment(ref),
    completeCommentAnalysis: async (completion) => {
      await store.completeCommentAnalysis(completion);
      businessMetrics.analysisCompleted('comment', completion.analysis.status);
    },
  };
}

/** The stream functions' middleware stack, reading each record's ticket or comment by the table's key layout. */
export function ticketStreamHandler(processSubjects: SubjectsProcessor) {
  return streamHandler(subjectOfStreamRecord, processSubjects);
}
