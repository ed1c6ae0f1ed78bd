import type { CompiledValidator } from '@aws-support-system/shared';
import type { FromSchema } from 'json-schema-to-ts';
import type { requestSchema } from './request-schema.js';

declare const validate: CompiledValidator<FromSchema<typeof requestSchema>>;
export default validate;
