import type { CompiledValidator } from '@aws-support-system/shared';

declare const validate: CompiledValidator;
export default validate;
