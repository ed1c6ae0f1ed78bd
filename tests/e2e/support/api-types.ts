/* What crosses the wire between an e2e test and the API: the request a test makes and the response it gets. */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'OPTIONS' | 'HEAD';

export interface ApiRequest {
  method: HttpMethod;
  /** The path and query, as in `/tickets?limit=5`. */
  path: string;
  /** Sent as `Authorization: Bearer <token>`; absent or null sends no Authorization header. */
  token?: string | null;
  /** A string is sent as it is; anything else as JSON, with `Content-Type: application/json` unless set. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse<Body = unknown> {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when there is none. */
  body: Body;
}
