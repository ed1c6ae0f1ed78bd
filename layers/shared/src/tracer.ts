import { loadOnce } from './load-once.js';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';

/**
 * The layer's one X-Ray tracer: a segment per invocation (the middleware
 * stacks, through `traceInvocations`) and a subsegment per SDK call
 * (aws-clients.ts). Powertools turns it off wherever no X-Ray daemon listens:
 * without AWS_EXECUTION_ENV (tests), under `sam local` (AWS_SAM_LOCAL), and in
 * the local runtime, which sets POWERTOOLS_TRACE_ENABLED=false. Traces carry
 * no payloads: responses and SDK results may hold ticket text.
 *
 * Loaded on first use, not with the function: the X-Ray SDK underneath is a
 * third of a function's cold start, and nothing is traced before the first
 * invocation opens its segment. Then one Tracer serves the environment.
 */
export const tracer: () => Promise<Tracer> = loadOnce(async () => {
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  return new Tracer();
});

/**
 * Powertools' captureLambdaHandler on the layer's tracer, loading it in the
 * first invocation's `before`; never the response in the trace (it carries ticket text).
 */
export function traceInvocations(): MiddlewareObj {
  let capture: MiddlewareObj | undefined;
  return {
    before: async (request) => {
      capture ??= captureLambdaHandler(await tracer(), { captureResponse: false });
      await capture.before?.(request);
    },
    after: async (request) => {
      await capture?.after?.(request);
    },
    onError: async (request) => {
      await capture?.onError?.(request);
    },
  };
}
