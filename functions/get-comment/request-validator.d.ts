import type { SchemaValidator } from '@aws-support-system/shared';
import type { requestSchema } from './request-schema.js';

declare const validate: SchemaValidator<typeof requestSchema>;
export default validate;
