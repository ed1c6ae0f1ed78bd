import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './send-json.js';

/*
 * The stand-ins answer programs on this machine (the functions' SDK clients,
 * curl, the tests), never web pages. A browser sends `Origin` with every
 * POST and DELETE, even once a hostile page has rebound its own name to
 * 127.0.0.1 (DNS rebinding); SDK clients and curl send none. Every operation
 * and fault switch is a POST or DELETE, so refusing a request with an Origin
 * before it is read leaves no page a way to read the local secret or switch
 * a fault on (what a GET can read is the Comprehend stand-in's health,
 * faults and request counts).
 */

/** Answers 403 and returns true when the request comes from a web page. */
export function refusedFromWebPage(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.headers.origin === undefined) return false;
  sendJson(res, 403, { message: 'The local stand-ins answer programs on this machine, not web pages.' });
  return true;
}
