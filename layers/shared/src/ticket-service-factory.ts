import type { ComprehendAnalyzer } from './analysis/comprehend-analyzer.js';
import type { TicketAnalyzer } from './domain/ticket-analyzer.js';
import { createComprehendClient } from './aws-clients.js';
import { config } from './config.js';
import { loadOnce } from './load-once.js';
import { CommentService } from './domain/comment-service.js';
import { TicketService } from './domain/ticket-service.js';
import { commentRepository, cursorSecret, serviceLevelTargets, ticketRepository } from './table-access.js';

/*
 * The HTTP functions' services (entry point `@aws-support-system/shared/services`),
 * each built once per execution environment. What talks to AWS (the
 * repositories and their DynamoDB client, the Comprehend analyzer and its
 * client, the redaction rules) is loaded on first use: a function starts with
 * the domain alone, and only the functions that create a ticket or a comment
 * ever load Comprehend.
 */

let service: TicketService | undefined;
let comments: CommentService | undefined;

/** The process's ticket service, wired to DynamoDB and Comprehend; built once per cold start. */
export function ticketService(): TicketService {
  service ??= new TicketService({
    repository: ticketRepository(),
    analyzer: analyzer(),
    fingerprintSecret: cursorSecret,
    serviceLevelTargets: serviceLevelTargets(),
  });
  return service;
}

/** The process's comment service, wired to DynamoDB and Comprehend; built once per cold start. */
export function commentService(): CommentService {
  comments ??= new CommentService({
    tickets: ticketRepository(),
    comments: commentRepository(),
    analyzer: analyzer(),
    fingerprintSecret: cursorSecret,
    serviceLevelTargets: serviceLevelTargets(),
  });
  return comments;
}

/** The Comprehend analyzer and its client, loaded and built on the first analysis. */
const loadAnalyzer = loadOnce(async (): Promise<ComprehendAnalyzer> => {
  const settings = config();
  const [{ ComprehendAnalyzer }, client] = await Promise.all([
    import('./analysis/comprehend-analyzer.js'),
    createComprehendClient(settings),
  ]);
  return new ComprehendAnalyzer({ client, deadlineMs: settings.comprehend.deadlineMs });
});

/**
 * Only the functions that create a ticket or a comment analyze text: the others
 * never load Comprehend. Tags and assignees are read by the on-box rules
 * alone, loaded when an update first sets either.
 */
const tagRules = loadOnce(() => import('./analysis/tag-redaction.js'));

function analyzer(): TicketAnalyzer {
  return {
    analyze: async (fields) => (await loadAnalyzer()).analyze(fields),
    analyzeComment: async (body) => (await loadAnalyzer()).analyzeComment(body),
    redactTags: async (text, tags) => (await tagRules()).redactTags(text, tags),
    secretKindsIn: async (identifier) => (await tagRules()).secretKindsIn(identifier),
  };
}
