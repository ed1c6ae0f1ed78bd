/**
 * Comprehend's error vocabulary, as the AWS SDK v3 JSON 1.1 protocol decodes it.
 *
 * The SDK picks the exception class from `__type` (or the `x-amzn-ErrorType` header),
 * so the type names here must be Comprehend's own.
 */

import { AwsServiceError } from '../http/aws-json-server.js';

export type ComprehendErrorType =
  | 'ThrottlingException'
  | 'InternalServerException'
  | 'InvalidRequestException'
  | 'TextSizeLimitExceededException'
  | 'UnsupportedLanguageException'
  | 'BatchSizeLimitExceededException'
  | 'UnknownOperationException'
  | 'SerializationException';

export class ComprehendError extends AwsServiceError<ComprehendErrorType> {}

export const comprehendErrors = {
  throttling: () => new ComprehendError('ThrottlingException', 'Rate exceeded'),
  internal: (message = 'An internal error occurred. Try again.') =>
    new ComprehendError('InternalServerException', message, 500),
  invalidRequest: (message: string) => new ComprehendError('InvalidRequestException', message),
  textSizeLimitExceeded: (actualBytes: number, maxBytes: number) =>
    new ComprehendError(
      'TextSizeLimitExceededException',
      `Input text size exceeds limit. Max length of request text allowed is ${maxBytes} bytes ` +
        `while in this request the text size is ${actualBytes} bytes`,
    ),
  unsupportedLanguage: (operation: string, languageCode: string, supported: readonly string[]) =>
    new ComprehendError(
      'UnsupportedLanguageException',
      `${operation} does not support the language code '${languageCode}'. ` +
        `Supported language codes: ${supported.join(', ')}`,
    ),
  batchSizeLimitExceeded: (maxDocuments: number) =>
    new ComprehendError(
      'BatchSizeLimitExceededException',
      `The number of documents in the request exceeds the limit of ${maxDocuments}. Try your request again with fewer documents.`,
    ),
  unknownOperation: (target: string) =>
    new ComprehendError('UnknownOperationException', `Unknown operation: '${target}'`),
  serialization: (message: string) => new ComprehendError('SerializationException', message),
};

/**
 * The JSON body of an error response. Comprehend's modeled exceptions carry `Message`;
 * the SDK's generic fallback (used for unmodeled codes such as ThrottlingException) reads
 * `message`. Sending both keeps `error.message` filled whichever path the SDK takes.
 */
export function errorBody(error: ComprehendError): Record<string, string> {
  return { __type: error.type, message: error.message, Message: error.message };
}
