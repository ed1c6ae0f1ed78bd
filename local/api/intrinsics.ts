import { getAttArguments, type Template } from '../../scripts/cloudformation-template.js';

/*
 * The one resolver of CloudFormation intrinsic functions, in their long form
 * as scripts/cloudformation-template.ts reads them, for the template's values
 * (a function's environment, the API's gateway responses, its stage name): each
 * resolves to what it means on this machine. Only the functions this kind of template uses are
 * supported; anything else fails loudly, naming the value, rather than handing
 * a function a JSON object where it expects a string.
 */

export interface LocalStack {
  template: Template;
  stackName: string;
  region: string;
  accountId: string;
  /** Parameter values that replace the template's defaults (like `sam deploy --parameter-overrides`). */
  parameterOverrides?: Record<string, string>;
  /** What `!Ref <LogicalId>` means locally for resources, e.g. the local table's name. */
  physicalIds?: Record<string, string>;
}

export class UnresolvableValueError extends Error {
  override name = 'UnresolvableValueError';
}

type Value = unknown;

export function resolveValue(value: Value, stack: LocalStack): Value {
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, stack));
  if (typeof value === 'string') return withoutDynamicReferences(value);
  if (value === null || typeof value !== 'object') return value;

  const entries = Object.entries(value);
  const [name, argument] = entries[0] ?? [];
  if (
    entries.length === 1 &&
    name !== undefined &&
    (name === 'Ref' || name === 'Condition' || name.startsWith('Fn::'))
  ) {
    return resolveValue(resolveIntrinsic(name, argument, stack), stack);
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveValue(item, stack)]));
}

/** A value that must end up a string, such as an environment variable. */
export function resolveString(value: Value, stack: LocalStack, what: string): string {
  const resolved = resolveValue(value, stack);
  if (typeof resolved === 'string') return resolved;
  if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
  throw new UnresolvableValueError(`${what} does not resolve to a string: ${JSON.stringify(value)}.`);
}

export const NO_VALUE = Symbol('AWS::NoValue');

function resolveIntrinsic(name: string, argument: Value, stack: LocalStack): Value {
  switch (name) {
    case 'Ref':
      return ref(String(argument), stack);
    case 'Condition':
      return condition(String(argument), stack);
    case 'Fn::Sub':
      return substitute(argument, stack);
    case 'Fn::Join': {
      const [separator, items] = argument as [string, Value[]];
      return (resolveValue(items, stack) as Value[]).map(String).join(separator);
    }
    case 'Fn::Split': {
      const [separator, source] = argument as [string, Value];
      return String(resolveValue(source, stack)).split(separator);
    }
    case 'Fn::Select': {
      const [index, list] = argument as [Value, Value];
      const items = resolveValue(list, stack) as Value[];
      return items[Number(resolveValue(index, stack))];
    }
    case 'Fn::If': {
      const [conditionName, whenTrue, whenFalse] = argument as [string, Value, Value];
      return condition(conditionName, stack) ? whenTrue : whenFalse;
    }
    case 'Fn::Equals': {
      const [left, right] = resolveValue(argument, stack) as [Value, Value];
      return String(left) === String(right);
    }
    case 'Fn::Not':
      return !(resolveValue((argument as Value[])[0], stack) as boolean);
    case 'Fn::And':
      return (resolveValue(argument, stack) as boolean[]).every(Boolean);
    case 'Fn::Or':
      return (resolveValue(argument, stack) as boolean[]).some(Boolean);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = getAttArguments(argument) as [string, string];
      return `arn:aws:local:${stack.region}:${stack.accountId}:${logicalId}/${attribute}`;
    }
    case 'Fn::FindInMap': {
      const [map, topKey, secondKey] = (resolveValue(argument, stack) as Value[]).map(String) as [
        string,
        string,
        string,
      ];
      const value = stack.template.Mappings?.[map]?.[topKey]?.[secondKey];
      if (value === undefined)
        throw new UnresolvableValueError(`Fn::FindInMap: ${map}.${topKey}.${secondKey} is not mapped.`);
      return value;
    }
    case 'Fn::Base64':
      return Buffer.from(resolveString(argument, stack, 'Fn::Base64'), 'utf8').toString('base64');
    // AWS::LanguageExtensions: a list's length and a value as a JSON string.
    case 'Fn::Length': {
      const list = resolveValue(argument, stack);
      if (!Array.isArray(list))
        throw new UnresolvableValueError(`Fn::Length needs a list, got ${JSON.stringify(list)}.`);
      return list.length;
    }
    case 'Fn::ToJsonString':
      return JSON.stringify(withoutNoValue(resolveValue(argument, stack)));
    default:
      throw new UnresolvableValueError(
        `${name} is not supported by the local runtime (in ${JSON.stringify(argument)}).`,
      );
  }
}

function ref(name: string, stack: LocalStack): Value {
  const pseudo: Record<string, Value> = {
    'AWS::Region': stack.region,
    'AWS::AccountId': stack.accountId,
    'AWS::StackName': stack.stackName,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NoValue': NO_VALUE,
  };
  if (name in pseudo) return pseudo[name];
  const parameter = stack.template.Parameters?.[name];
  if (parameter) {
    const value = stack.parameterOverrides?.[name] ?? parameter.Default;
    if (value === undefined) throw new UnresolvableValueError(`Parameter ${name} has no default and no local value.`);
    // Parameters are strings to CloudFormation, whatever their Type (Number included).
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new UnresolvableValueError(`Parameter ${name}: ${JSON.stringify(value)} is not a single value.`);
  }
  const physicalId = stack.physicalIds?.[name];
  if (physicalId !== undefined) return physicalId;
  if (stack.template.Resources[name]) return `${stack.stackName}-${name}`;
  throw new UnresolvableValueError(`!Ref ${name}: no such parameter or resource.`);
}

function condition(name: string, stack: LocalStack): boolean {
  const definition = stack.template.Conditions?.[name];
  if (definition === undefined) throw new UnresolvableValueError(`Condition ${name} is not defined.`);
  return resolveValue(definition, stack) === true;
}

/** `!Sub 'text ${Name}'` or `!Sub ['text ${Var}', { Var: value }]`; `${!Literal}` stays `${Literal}`. */
function substitute(argument: Value, stack: LocalStack): string {
  const [text, variables] = Array.isArray(argument)
    ? (argument as [string, Record<string, Value>])
    : [String(argument), {}];
  return text.replace(/\$\{([^}]+)\}/g, (_match, expression: string) => {
    if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
    if (expression in variables) return String(resolveValue(variables[expression], stack));
    // `${Resource.Attribute}` is a GetAtt; `${AWS::Region}` and `${Parameter}` are Refs.
    if (expression.includes('.') && !expression.startsWith('AWS::')) {
      return String(resolveIntrinsic('Fn::GetAtt', expression, stack));
    }
    return String(ref(expression, stack));
  });
}

/** What CloudFormation leaves of a value once `!Ref AWS::NoValue` entries are taken out. */
function withoutNoValue(value: Value): Value {
  if (Array.isArray(value)) return value.filter((item) => item !== NO_VALUE).map(withoutNoValue);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== NO_VALUE)
      .map(([key, item]) => [key, withoutNoValue(item)]),
  );
}

/**
 * A `{{resolve:...}}` dynamic reference has no local value: the template
 * uses none (a function reads its secret at run time, from the Secrets
 * Manager stand-in locally), and one would put a secret's value in a
 * function's configuration.
 */
function withoutDynamicReferences(text: string): string {
  const reference = /\{\{resolve:[^}]*\}\}/.exec(text);
  if (reference) {
    throw new UnresolvableValueError(
      `${reference[0]}: dynamic references have no local value; read the secret at run time instead.`,
    );
  }
  return text;
}
