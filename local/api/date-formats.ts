/*
 * The date formats API Gateway writes into what it hands a function, built
 * from Date.prototype.toUTCString() ("Tue, 24 Nov 2026 20:28:10 GMT"), whose
 * format ECMAScript fixes: no month or day names of our own.
 */

function utcParts(date: Date): { weekday: string; day: string; month: string; year: string; time: string } {
  const [weekday = '', day = '', month = '', year = '', time = ''] = date.toUTCString().replace(',', '').split(' ');
  return { weekday, day, month, year, time };
}

/** `24/Nov/2026:20:28:10 +0000`, the format of a proxy event's `requestContext.requestTime`. */
export function apiGatewayRequestTime(date: Date): string {
  const { day, month, year, time } = utcParts(date);
  return `${day}/${month}/${year}:${time} +0000`;
}

export { javaDateString } from '../../layers/shared/src/http/local-id-token.js';
