/**
 * One Lambda execution environment, run as a worker thread: its own module
 * state (so the handler module's top-level code runs once per "cold start"),
 * its own process.env (the function's environment from the template), and the
 * built layer in place of /opt. Invocations arrive one at a time from the
 * parent (local/api/lambda-runtime/function-runtime.ts).
 *
 * Plain JavaScript: a worker runs outside any TypeScript loader (tsx, ts-jest),
 * just like the deployed bundle.
 */
import { register } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

const { handlerFile, handlerExport, functionName, memorySize, codeDir, layerDir } = workerData;

// NODE_OPTIONS from the function's environment cannot reach a worker thread's
// Node as it reaches Lambda's; the one option the template sets is applied here.
if ((process.env.NODE_OPTIONS ?? '').split(/\s+/).includes('--enable-source-maps')) {
  process.setSourceMapsEnabled(true);
}

const directoryUrl = (path) => pathToFileURL(path.endsWith('/') ? path : `${path}/`).href;

register(new URL('./layer-resolve-hook.mjs', import.meta.url), {
  data: {
    codeDirUrl: directoryUrl(codeDir),
    layerDirUrl: directoryUrl(layerDir),
    // Any file URL inside nodejs/ makes Node search nodejs/node_modules first.
    layerNodejsUrl: new URL('nodejs/index.mjs', directoryUrl(layerDir)).href,
  },
});

/** The error as Lambda reports it: errorType, errorMessage and stack, never the object itself. */
const describeError = (error) => ({
  errorType: error?.name ?? 'Error',
  errorMessage: error?.message ?? String(error),
  stack: typeof error?.stack === 'string' ? error.stack.split('\n') : [],
});

let handler;
try {
  const module = await import(pathToFileURL(handlerFile).href);
  handler = module[handlerExport];
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${handlerFile} does not export a function named ${handlerExport}.`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'init-error', error: describeError(error) });
  process.exit(1);
}

function lambdaContext(awsRequestId, deadline) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${functionName}`,
    memoryLimitInMB: String(memorySize),
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${process.pid}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

parentPort.on('message', async ({ id, eventJson, awsRequestId, deadline }) => {
  try {
    const result = await handler(JSON.parse(eventJson), lambdaContext(awsRequestId, deadline));
    // Lambda serializes the result to JSON on its way to API Gateway; what JSON cannot hold fails the invocation.
    const resultJson = result === undefined ? 'null' : JSON.stringify(result);
    if (resultJson === undefined) throw new TypeError(`The handler's result (${typeof result}) is not JSON.`);
    parentPort.postMessage({ type: 'result', id, resultJson });
  } catch (error) {
    parentPort.postMessage({ type: 'error', id, error: describeError(error) });
  }
});
