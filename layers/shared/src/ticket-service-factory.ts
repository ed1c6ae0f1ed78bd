import { ComprehendAnalyzer } from './analysis/comprehend-analyzer.js';
import type { TicketAnalyzer } from './analysis/ticket-analyzer.js';
import { createComprehendClient, createDocumentClient } from './aws-clients.js';
import { config } from './config.js';
import { TicketService } from './domain/ticket-service.js';
import { DynamoDbTicketRepository } from './repository/dynamodb-ticket-repository.js';

let service: TicketService | undefined;

/** The process's ticket service, wired to DynamoDB and Comprehend; built once per cold start. */
export function ticketService(): TicketService {
  if (!service) {
    const settings = config();
    service = new TicketService({
      repository: new DynamoDbTicketRepository({
        client: createDocumentClient(),
        tableName: settings.tableName,
        cursorSecret: settings.cursorSecret,
      }),
      analyzer: lazily(
        () =>
          new ComprehendAnalyzer({
            client: createComprehendClient(settings),
            deadlineMs: settings.comprehend.deadlineMs,
          }),
      ),
    });
  }
  return service;
}

/** Only the create function analyses text: the others never pay for building a Comprehend client. */
function lazily(create: () => TicketAnalyzer): TicketAnalyzer {
  let analyzer: TicketAnalyzer | undefined;
  return { analyze: (text) => (analyzer ??= create()).analyze(text) };
}
