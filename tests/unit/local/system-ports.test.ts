/**
 * The ports the local system asks for: each part's default and setting,
 * the EventBridge and Secrets Manager stand-ins' and the agent console's included, as `npm start` checks them before
 * building anything.
 */
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { endpointVariables, LOCAL_SERVICES, LOCAL_SYSTEM_PORTS } from '../../../local/system/parts.js';
import { eventsFileOf, neededPorts } from '../../../local/system/system.js';

describe('the ports of the local system', () => {
  test('every part has a distinct default port and a setting that moves it', () => {
    expect(LOCAL_SYSTEM_PORTS.eventBridge).toEqual({
      name: 'EventBridge stand-in',
      setting: 'EVENTBRIDGE_PORT',
      defaultPort: 4621,
    });
    expect(LOCAL_SYSTEM_PORTS.secretsManager).toEqual({
      name: 'Secrets Manager stand-in',
      setting: 'SECRETS_MANAGER_PORT',
      defaultPort: 4622,
    });
    expect(LOCAL_SYSTEM_PORTS.console).toEqual({ name: 'Agent console', setting: 'CONSOLE_PORT', defaultPort: 3001 });
    const defaults = Object.values(LOCAL_SYSTEM_PORTS).map(({ defaultPort }) => defaultPort);
    expect(new Set(defaults).size).toBe(defaults.length);
    const settings = Object.values(LOCAL_SYSTEM_PORTS).map(({ setting }) => setting);
    expect(new Set(settings).size).toBe(settings.length);
  });

  test('npm start asks for each port its setting names; the stand-ins take a free port when none is asked for', () => {
    expect(
      neededPorts({
        apiPort: 3001,
        consolePort: 3002,
        dynamoDbPort: 8001,
        comprehendPort: 4630,
        eventBridgePort: 4631,
        secretsManagerPort: 4632,
      }),
    ).toEqual({
      api: { name: 'local API', setting: 'PORT', port: 3001 },
      console: { name: 'Agent console', setting: 'CONSOLE_PORT', port: 3002 },
      dynamoDb: { name: 'DynamoDB Local', setting: 'DYNAMODB_PORT', port: 8001 },
      comprehend: { name: 'Comprehend stand-in', setting: 'COMPREHEND_PORT', port: 4630 },
      eventBridge: { name: 'EventBridge stand-in', setting: 'EVENTBRIDGE_PORT', port: 4631 },
      secretsManager: { name: 'Secrets Manager stand-in', setting: 'SECRETS_MANAGER_PORT', port: 4632 },
    });
    const defaults = neededPorts({});
    expect(defaults.api.port).toBe(3000);
    expect(defaults.comprehend.port).toBe(4620);
    expect(defaults.eventBridge.port).toBe(0);
    expect(defaults.secretsManager.port).toBe(0);
    // Parallel systems (the e2e files) must not clash on it; npm start passes 3001.
    expect(defaults.console.port).toBe(0);
  });

  test('the console is no AWS service: the functions get no endpoint for it, sam local no port', () => {
    expect(LOCAL_SERVICES).toEqual(['dynamoDb', 'comprehend', 'eventBridge', 'secretsManager']);
    expect(
      Object.keys(endpointVariables({ dynamoDb: 'a', comprehend: 'b', eventBridge: 'c', secretsManager: 'd' })),
    ).toEqual([
      'AWS_ENDPOINT_URL_DYNAMODB',
      'AWS_ENDPOINT_URL_COMPREHEND',
      'AWS_ENDPOINT_URL_EVENTBRIDGE',
      'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    ]);
  });

  test('events are appended to events.jsonl in the state directory', () => {
    expect(eventsFileOf(join('state', 'dir'))).toBe(join('state', 'dir', 'events.jsonl'));
  });
});
