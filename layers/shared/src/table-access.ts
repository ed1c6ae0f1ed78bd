import type { CommentAnalysisCompletionStore, CommentRepository } from './domain/comment-repository.js';
import type { SecretSource } from './domain/secret-source.js';
import { serviceLevelTargetsFrom, type ServiceLevelTargets } from './domain/service-levels.js';
import type { AnalysisCompletionStore, TicketRepository } from './domain/ticket-repository.js';
import type { DynamoDbCommentRepository } from './repository/dynamodb-comment-repository.js';
import type {
  DynamoDbTicketRepository,
  DynamoDbTicketRepositoryOptions,
} from './repository/dynamodb-ticket-repository.js';
import { createDocumentClient } from './aws-clients.js';
import { config } from './config.js';
import { loadOnce } from './load-once.js';

/*
 * The table's repositories for the composition root, as the domain's ports.
 * Each repository, with the DynamoDB client and the SDK under it, is loaded
 * and built on its first call, then serves the execution environment: a
 * function's cold start loads no SDK, and the functions share one DynamoDB client.
 */

let targets: ServiceLevelTargets | undefined;

/** The deployment's service-level targets, read once per cold start; a malformed setting fails it. */
export function serviceLevelTargets(): ServiceLevelTargets {
  targets ??= serviceLevelTargetsFrom(config().serviceLevelTargets);
  return targets;
}

/**
 * Signs list cursors and keys idempotency fingerprints, read from Secrets
 * Manager when first needed. Imported on that first call: the functions that
 * never list nor take an Idempotency-Key never load the Secrets Manager client.
 */
export const cursorSecret: SecretSource = async () => (await cursorSecretModule()).readCursorSecret();
const cursorSecretModule = loadOnce(() => import('./repository/cursor-secret.js'));

const loadTableOptions = loadOnce(async (): Promise<DynamoDbTicketRepositoryOptions> => ({
  client: await createDocumentClient(),
  tableName: config().tableName,
  cursorSecret,
}));

const loadTicketRepository = loadOnce(async (): Promise<DynamoDbTicketRepository> => {
  const [{ DynamoDbTicketRepository }, options] = await Promise.all([
    import('./repository/dynamodb-ticket-repository.js'),
    loadTableOptions(),
  ]);
  return new DynamoDbTicketRepository(options);
});

const loadCommentRepository = loadOnce(async (): Promise<DynamoDbCommentRepository> => {
  const [{ DynamoDbCommentRepository }, options] = await Promise.all([
    import('./repository/dynamodb-comment-repository.js'),
    loadTableOptions(),
  ]);
  return new DynamoDbCommentRepository(options);
});

/** The tickets of the table, loaded on the first call. */
export function ticketRepository(): TicketRepository & AnalysisCompletionStore {
  return {
    create: async (...args) => (await loadTicketRepository()).create(...args),
    findIdempotentCreate: async (...args) => (await loadTicketRepository()).findIdempotentCreate(...args),
    findReplay: async (...args) => (await loadTicketRepository()).findReplay(...args),
    get: async (...args) => (await loadTicketRepository()).get(...args),
    update: async (...args) => (await loadTicketRepository()).update(...args),
    list: async (...args) => (await loadTicketRepository()).list(...args),
    getWithWholeHistory: async (...args) => (await loadTicketRepository()).getWithWholeHistory(...args),
    completeAnalysis: async (...args) => (await loadTicketRepository()).completeAnalysis(...args),
  };
}

/** The comments of the table, loaded on the first call. */
export function commentRepository(): CommentRepository & CommentAnalysisCompletionStore {
  return {
    addComment: async (...args) => (await loadCommentRepository()).addComment(...args),
    findCommentReplay: async (...args) => (await loadCommentRepository()).findCommentReplay(...args),
    listComments: async (...args) => (await loadCommentRepository()).listComments(...args),
    findComment: async (...args) => (await loadCommentRepository()).findComment(...args),
    getComment: async (...args) => (await loadCommentRepository()).getComment(...args),
    completeCommentAnalysis: async (...args) => (await loadCommentRepository()).completeCommentAnalysis(...args),
  };
}
