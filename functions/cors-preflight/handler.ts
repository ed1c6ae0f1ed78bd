import { corsPreflightHandler } from '@aws-support-system/shared/cors';

/** OPTIONS on every API path — the CORS preflight, answered for each allowed origin. */
export const handler = corsPreflightHandler();
