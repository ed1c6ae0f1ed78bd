import { AnalysisCompletion } from './analysis/analysis-completion.js';
import { redactTags, secretKindsIn } from './analysis/analysis-outcome.js';
import { ComprehendAnalyzer } from './analysis/comprehend-analyzer.js';
import { ComprehendBatchAnalyzer, DEFAULT_RETRY_POLICY } from './analysis/comprehend-batch.js';
import type { TicketAnalyzer } from './domain/ticket-analyzer.js';
import type { CommentAnalysisCompletionStore } from './domain/comment-repository.js';
import type { AnalysisCompletionStore } from './domain/ticket-repository.js';
import { createComprehendBatchClient, createComprehendClient, createDocumentClient } from './aws-clients.js';
import { config } from './config.js';
import { businessMetrics } from './metrics.js';
import { CommentService } from './domain/comment-service.js';
import type { SecretSource } from './domain/secret-source.js';
import { serviceLevelTargetsFrom, type ServiceLevelTargets } from './domain/service-levels.js';
import { TicketService } from './domain/ticket-service.js';
import { DynamoDbCommentRepository } from './repository/dynamodb-comment-repository.js';
import {
  DynamoDbTicketRepository,
  type DynamoDbTicketRepositoryOptions,
} from './repository/dynamodb-ticket-repository.js';
import { subjectOfStreamRecord } from './repository/ticket-stream.js';
import { streamHandler } from './stream/stream-handler.js';
import type { SubjectsProcessor } from './stream/stream-records.js';

let service: TicketService | undefined;
let comments: CommentService | undefined;
let completion: AnalysisCompletion | undefined;

let targets: ServiceLevelTargets | undefined;

/** The deployment's service-level targets, read once per cold start; a malformed setting fails it. */
function serviceLevelTargets(): ServiceLevelTargets {
  targets ??= serviceLevelTargetsFrom(config().serviceLevelTargets);
  return targets;
}

/**
 * Signs list cursors and keys idempotency fingerprints, read from Secrets
 * Manager when first needed. Imported on that first call: the functions that
 * never list nor take an Idempotency-Key never load the Secrets Manager client.
 */
const cursorSecret: SecretSource = async () => {
  // The module once per process: every import() of it, even loaded, goes through the module loader again.
  cursorSecretModule ??= import('./repository/cursor-secret.js');
  const { readCursorSecret } = await cursorSecretModule;
  return readCursorSecret();
};
let cursorSecretModule: Promise<typeof import('./repository/cursor-secret.js')> | undefined;

function tableOptions(): DynamoDbTicketRepositoryOptions {
  return { client: createDocumentClient(), tableName: config().tableName, cursorSecret };
}

function repository(): DynamoDbTicketRepository {
  return new DynamoDbTicketRepository(tableOptions());
}

function analyzer(): TicketAnalyzer {
  const settings = config();
  return lazily(
    () =>
      new ComprehendAnalyzer({
        client: createComprehendClient(settings),
        deadlineMs: settings.comprehend.deadlineMs,
      }),
  );
}

/** The process's ticket service, wired to DynamoDB and Comprehend; built once per cold start. */
export function ticketService(): TicketService {
  service ??= new TicketService({
    repository: repository(),
    analyzer: analyzer(),
    fingerprintSecret: cursorSecret,
    serviceLevelTargets: serviceLevelTargets(),
  });
  return service;
}

/** The process's comment service, wired to DynamoDB and Comprehend; built once per cold start. */
export function commentService(): CommentService {
  comments ??= new CommentService({
    tickets: repository(),
    comments: new DynamoDbCommentRepository(tableOptions()),
    analyzer: analyzer(),
    fingerprintSecret: cursorSecret,
    serviceLevelTargets: serviceLevelTargets(),
  });
  return comments;
}

/**
 * Completes the pending analyses of tickets and comments from the table's
 * stream with Comprehend's batch operations; built once per cold start.
 */
export function analysisCompletion(): AnalysisCompletion {
  if (!completion) {
    const settings = config();
    completion = new AnalysisCompletion({
      repository: countingTicketCompletions(repository()),
      comments: countingCommentCompletions(new DynamoDbCommentRepository(tableOptions())),
      comprehend: new ComprehendBatchAnalyzer({
        client: createComprehendBatchClient(settings),
        retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: settings.analysisCompletion.maxAttempts },
      }),
      serviceLevelTargets: serviceLevelTargets(),
    });
  }
  return completion;
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

/**
 * Only the functions that create a ticket or a comment analyze text: the others
 * never pay for building a Comprehend client. Redacting tags needs no Comprehend, so it is not deferred.
 */
function lazily(create: () => TicketAnalyzer): TicketAnalyzer {
  let analyzer: TicketAnalyzer | undefined;
  return {
    analyze: (fields) => (analyzer ??= create()).analyze(fields),
    analyzeComment: (body) => (analyzer ??= create()).analyzeComment(body),
    redactTags,
    secretKindsIn,
  };
}
