import type { FromSchema } from 'json-schema-to-ts';

/** An RFC 9457 problem: every error the functions answer, and API Gateway's own answers the API defines. */
export const problemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri', description: 'A URN naming the kind of problem, or `about:blank`.' },
    title: { type: 'string', minLength: 1 },
    status: { type: 'integer', minimum: 400, maximum: 599, description: "The response's status code." },
    detail: { type: 'string', minLength: 1 },
    requestId: {
      type: 'string',
      minLength: 1,
      description: 'Present on answers from a function; quote it when reporting a problem.',
    },
    errors: {
      type: 'array',
      description: 'The offending fields of invalid input.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', description: 'A JSON Pointer into the request, e.g. `/body/subject`.' },
          message: { type: 'string', minLength: 1 },
        },
      },
    },
  },
} as const;

/**
 * API Gateway's catch-all answer to a failure of its own or of a function
 * that did not answer (a crash, a timeout): its template cannot read the
 * status code, so the body leaves `status` out.
 */
export const gatewayErrorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'title', 'detail', 'requestId'],
  properties: {
    type: { type: 'string', const: 'about:blank' },
    title: { type: 'string', minLength: 1 },
    detail: { type: 'string', minLength: 1 },
    requestId: { type: 'string', minLength: 1 },
  },
} as const;

export type Problem = FromSchema<typeof problemSchema>;
