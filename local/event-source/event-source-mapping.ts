import { resourcesOfType } from '../../scripts/sam-template.js';
import { resolveValue, type LocalStack } from '../api/intrinsics.js';
import { parseFilterPattern, type FilterPattern } from './event-filter.js';

/*
 * The DynamoDB stream event source mappings of template.yaml (a function's
 * `Type: DynamoDB` events), with their settings resolved to local values, as
 * the local stream poller applies them. Nothing is configured twice: a batch
 * size or a filter changed in the template changes the local poller with it.
 */

export interface StreamEventSourceMapping {
  functionId: string;
  eventName: string;
  /** The table whose stream is read (`!GetAtt <Table>.StreamArn`). */
  tableLogicalId: string;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  /** Any one of them admits a record; no filters admit every record. */
  filters: FilterPattern[];
  reportBatchItemFailures: boolean;
  bisectBatchOnFunctionError: boolean;
  /** -1: until the record expires, as in Lambda. */
  maximumRetryAttempts: number;
  /** -1: no limit. */
  maximumRecordAgeSeconds: number;
  /** The on-failure destination's logical id, if any. */
  onFailureDestination: string | null;
}

type Properties = Record<string, unknown>;

/** Lambda's defaults for a DynamoDB stream mapping where the template leaves a setting out. */
const DEFAULTS = {
  batchSize: 100,
  maximumBatchingWindowSeconds: 0,
  maximumRetryAttempts: -1,
  maximumRecordAgeSeconds: -1,
};

export function readStreamEventSourceMappings(stack: LocalStack): StreamEventSourceMapping[] {
  const mappings: StreamEventSourceMapping[] = [];
  for (const [functionId, resource] of resourcesOfType(stack.template, 'AWS::Serverless::Function')) {
    const events = (resource.Properties?.Events ?? {}) as Record<string, { Type?: string; Properties?: Properties }>;
    for (const [eventName, event] of Object.entries(events)) {
      if (event.Type !== 'DynamoDB') continue;
      const where = `${functionId}.Events.${eventName}`;
      // Read before resolving: locally the stream is found through the table, not an ARN.
      const stream = event.Properties?.Stream as { 'Fn::GetAtt'?: [string, string] } | undefined;
      const [tableLogicalId, attribute] = stream?.['Fn::GetAtt'] ?? [];
      if (!tableLogicalId || attribute !== 'StreamArn') {
        throw new Error(`${where}: only Stream: !GetAtt <Table>.StreamArn is supported locally.`);
      }
      const properties = resolveValue(event.Properties ?? {}, stack) as Properties;
      const startingPosition = String(properties.StartingPosition);
      if (startingPosition !== 'TRIM_HORIZON' && startingPosition !== 'LATEST') {
        throw new Error(
          `${where}: StartingPosition ${startingPosition} is not supported locally (TRIM_HORIZON or LATEST).`,
        );
      }
      const filters = (
        ((properties.FilterCriteria as Properties | undefined)?.Filters ?? []) as { Pattern?: unknown }[]
      ).map((filter, index) => parseFilterPattern(filter.Pattern, `${where}.FilterCriteria.Filters[${index}]`));
      const destination = (
        ((event.Properties?.DestinationConfig as Properties | undefined)?.OnFailure ?? {}) as Properties
      ).Destination as { 'Fn::GetAtt'?: [string, string]; Ref?: string } | undefined;
      mappings.push({
        functionId,
        eventName,
        tableLogicalId,
        startingPosition,
        batchSize: numberOr(properties.BatchSize, DEFAULTS.batchSize),
        maximumBatchingWindowSeconds: numberOr(
          properties.MaximumBatchingWindowInSeconds,
          DEFAULTS.maximumBatchingWindowSeconds,
        ),
        filters,
        reportBatchItemFailures: ((properties.FunctionResponseTypes ?? []) as string[]).includes(
          'ReportBatchItemFailures',
        ),
        bisectBatchOnFunctionError: properties.BisectBatchOnFunctionError === true,
        maximumRetryAttempts: numberOr(properties.MaximumRetryAttempts, DEFAULTS.maximumRetryAttempts),
        maximumRecordAgeSeconds: numberOr(properties.MaximumRecordAgeInSeconds, DEFAULTS.maximumRecordAgeSeconds),
        onFailureDestination: destination?.['Fn::GetAtt']?.[0] ?? destination?.Ref ?? null,
      });
    }
  }
  return mappings;
}

function numberOr(value: unknown, fallback: number): number {
  return value === undefined ? fallback : Number(value);
}
