import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The layer's one logger. Log identifiers, counts and error names only: never a
 * ticket's subject, description, e-mail address or any other text a customer
 * wrote, since tickets carry PII.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'support-tickets' });
