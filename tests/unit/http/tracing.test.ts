import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createSocket, type Socket } from 'node:dgram';

/**
 * The tracer is loaded by the first invocation, not at cold start: X-Ray
 * tracing still opens the handler's subsegment on every invocation (cold
 * start annotated on the first) and traces each SDK call, as in Lambda with
 * Active tracing. A UDP socket stands in for the X-Ray daemon.
 */
describe('X-Ray tracing loaded on first use', () => {
  const received: Record<string, unknown>[] = [];
  let daemon: Socket;
  const saved = { ...process.env };

  beforeAll(async () => {
    daemon = createSocket('udp4');
    daemon.on('message', (message) => {
      // Each datagram is a JSON header line, then the segment document.
      const [, document] = message.toString('utf8').split('\n');
      if (document) received.push(JSON.parse(document) as Record<string, unknown>);
    });
    await new Promise<void>((listening) => daemon.bind(0, '127.0.0.1', listening));
    const { port } = daemon.address();
    // What Lambda sets for a function with Active tracing, read when the tracer loads.
    Object.assign(process.env, {
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_FUNCTION_NAME: 'tracing-test',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      POWERTOOLS_TRACE_ENABLED: 'true',
      POWERTOOLS_SERVICE_NAME: 'support-tickets',
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${String(port)}`,
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      LAMBDA_TASK_ROOT: '/var/task',
      _HANDLER: 'handler.handler',
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    });
  });
  afterAll(() => {
    process.env = saved;
    daemon.close();
  });

  const subsegmentsNamed = async (name: string, count: number) => {
    for (let wait = 0; wait < 100 && received.filter((doc) => doc.name === name).length < count; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return received.filter((doc) => doc.name === name);
  };

  test('each invocation gets its handler subsegment, the first annotated as the cold start', async () => {
    const { traceInvocations } = await import('../../../layers/shared/src/tracer.js');
    const handler = middy(() => Promise.resolve({ statusCode: 200 })).use(traceInvocations());
    const context = { awsRequestId: 'request-1', functionName: 'tracing-test' } as unknown as Context;
    await handler({}, context);
    await handler({}, context);
    const subsegments = await subsegmentsNamed('## handler.handler', 2);
    expect(subsegments).toHaveLength(2);
    expect(subsegments.map((doc) => (doc.annotations as Record<string, unknown>).ColdStart)).toEqual([true, false]);
    // Closed (an end time), in the invocation's trace.
    expect(subsegments[0]).toMatchObject({
      trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      end_time: expect.any(Number),
    });
  });

  test('an SDK client made on first use is captured by the same tracer', async () => {
    const { createDocumentClient } = await import('../../../layers/shared/src/aws-clients.js');
    const { tracer } = await import('../../../layers/shared/src/tracer.js');
    const client = await createDocumentClient();
    const names = client.middlewareStack.identify().join(' ');
    expect(names).toMatch(/XRaySDKInstrumentation/);
    expect(await tracer()).toBe(await tracer());
  });
});
