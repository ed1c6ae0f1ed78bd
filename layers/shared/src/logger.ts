import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The layer's one logger. Log identifiers, counts and error names only: never a
 * ticket's subject, description, e-mail address or any other text a customer
 * wrote, since tickets carry PII. Powertools takes its settings
 * (POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL) from the function's
 * environment, set in template.yaml's Globals, locally as in Lambda.
 */
export const logger = new Logger();
