import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * The layer's one X-Ray tracer: a segment per invocation (the middleware
 * stacks) and a subsegment per SDK call (aws-clients.ts). Powertools turns it
 * off wherever no X-Ray daemon listens: without AWS_EXECUTION_ENV (tests),
 * under `sam local` (AWS_SAM_LOCAL), and in the local runtime, which sets
 * POWERTOOLS_TRACE_ENABLED=false. Traces carry no payloads: responses and
 * SDK results may hold ticket text.
 */
export const tracer = new Tracer();
