/**
 * The stand-in's own control API under /__admin/ (plain JSON, not Comprehend's protocol):
 *   GET    /__admin/health  → { status: "ok" }
 *   GET    /__admin/faults  → the current fault rule
 *   POST   /__admin/faults  { mode, delayMs?, operations?, remaining? } → the rule now in force
 *   DELETE /__admin/faults  → clears it (mode "none")
 *   GET    /__admin/stats   → requests per operation
 *   DELETE /__admin/stats   → resets the counters
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http/read-body.js';
import { sendJson } from '../http/send-json.js';
import { InvalidFaultError, validateFaultRule, type FaultSwitch } from './faults.js';
import { parseJsonOrUndefined } from './http-io.js';
import type { RequestStats } from './request-stats.js';

export const ADMIN_PREFIX = '/__admin/';
const MAX_ADMIN_BODY_BYTES = 16 * 1024;

export async function handleAdminRequest(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  faults: FaultSwitch,
  stats: RequestStats,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${path}`;
  switch (route) {
    case 'GET /__admin/health': {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    case 'GET /__admin/faults': {
      sendJson(res, 200, faults.current());
      return;
    }
    case 'POST /__admin/faults': {
      const parsed = parseJsonOrUndefined(await readBody(req, { maxBytes: MAX_ADMIN_BODY_BYTES }));
      if (!parsed) {
        sendJson(res, 400, { error: 'The body must be JSON' });
        return;
      }
      try {
        faults.set(validateFaultRule(parsed.value));
      } catch (error) {
        if (error instanceof InvalidFaultError) {
          sendJson(res, 400, { error: error.message });
          return;
        }
        throw error;
      }
      sendJson(res, 200, faults.current());
      return;
    }
    case 'DELETE /__admin/faults': {
      faults.clear();
      sendJson(res, 200, faults.current());
      return;
    }
    case 'GET /__admin/stats': {
      sendJson(res, 200, stats.snapshot());
      return;
    }
    case 'DELETE /__admin/stats': {
      stats.reset();
      sendJson(res, 200, stats.snapshot());
      return;
    }
    default: {
      sendJson(res, 404, { error: `No admin route ${route}` });
      return;
    }
  }
}
