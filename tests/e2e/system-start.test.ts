import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbLocalClient, startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb/dynamodb-local.js';
import { readTableDefinition } from '../../local/dynamodb/table-from-template.js';
import { isAddressInUse, LocalSystemError } from '../../local/system/errors.js';
import { holdPort, PortsInUseError, type HeldPort } from '../../local/system/ports.js';
import { startLocalSystem, type LocalSystemOptions } from '../../local/system/system.js';
import { commandLineOf, descendantsOf, isRunning } from '../support/listening-sockets.js';
import { e2eBuildDir, E2E_START_TIMEOUT_MS } from './support/local-system.js';
import { TempFolders } from './support/temp-folders.js';

/**
 * How the local system starts, and how it fails: a part that cannot start
 * takes the parts already started down with it, a busy port is named with the
 * setting that moves it, a table made from an older template is refused, and
 * DynamoDB Local's launcher is compiled once for Java 17 outside the repository.
 */
describe('starting the local system', () => {
  const folders = new TempFolders();
  const held: HeldPort[] = [];
  const started: DynamoDbLocal[] = [];

  /** A port bound until the test ends, as another program would hold it. */
  const busyPort = async (): Promise<number> => {
    const hold = await holdPort();
    held.push(hold);
    return hold.port;
  };
  const options = (overrides: Partial<LocalSystemOptions> = {}): LocalSystemOptions => ({
    apiPort: 0,
    dynamoDbPort: 0,
    comprehendPort: 0,
    stateDir: folders.make('e2e-start-state-'),
    buildDir: e2eBuildDir(),
    logOutput: null,
    ...overrides,
  });
  /**
   * The child processes of this test process started since the test began and
   * still running: none once a start has failed. (Jest may run tests in the
   * process that holds the integration tests' DynamoDB Local, which stays.)
   */
  let before = new Set<number>();
  const runningChildren = () =>
    descendantsOf(process.pid)
      .filter((pid) => !before.has(pid) && isRunning(pid))
      .map(commandLineOf);

  beforeEach(() => {
    before = new Set(descendantsOf(process.pid));
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((dynamoDb) => dynamoDb.stop()));
    await Promise.all(held.splice(0).map((hold) => hold.release()));
    folders.removeAll();
  });

  test(
    'when DynamoDB Local cannot start, the Comprehend stand-in started beside it is stopped too',
    async () => {
      // No JDK there: DynamoDB Local fails while the stand-in is still starting.
      const failure = startLocalSystem(options({ javaHome: join(tmpdir(), 'no-such-jdk') }));

      await expect(failure).rejects.toThrow(LocalSystemError);
      await expect(failure).rejects.toThrow(/no-such-jdk\/bin\/java\S* was not found/);
      expect(runningChildren()).toEqual([]);
    },
    E2E_START_TIMEOUT_MS,
  );

  test.each([
    ['apiPort', 'local API', 'PORT'],
    ['consolePort', 'Agent console', 'CONSOLE_PORT'],
    ['dynamoDbPort', 'DynamoDB Local', 'DYNAMODB_PORT'],
    ['comprehendPort', 'Comprehend stand-in', 'COMPREHEND_PORT'],
    ['eventBridgePort', 'EventBridge stand-in', 'EVENTBRIDGE_PORT'],
    ['secretsManagerPort', 'Secrets Manager stand-in', 'SECRETS_MANAGER_PORT'],
  ] as const)('a busy %s is named with its setting, and nothing starts', async (option, name, setting) => {
    const busy = await busyPort();
    const failure = startLocalSystem(options({ [option]: busy }));

    await expect(failure).rejects.toThrow(PortsInUseError);
    await expect(failure).rejects.toThrow(`127.0.0.1:${busy} (${name}) is in use; set ${setting} to use another port.`);
    expect(runningChildren()).toEqual([]);
  });

  test(
    'DynamoDB Local on a port taken after the check fails as a busy port, without a Java stack trace',
    async () => {
      const busy = await busyPort();
      const failure = startDynamoDbLocal({ port: busy, launcherCacheDir: folders.make('e2e-launcher-') });

      const error = await failure.then(
        () => null,
        (reason: unknown) => reason,
      );
      expect(isAddressInUse(error)).toBe(true);
      expect(error).toMatchObject({ message: `DynamoDB Local could not start: 127.0.0.1:${busy} is already in use.` });
      expect(runningChildren()).toEqual([]);
    },
    E2E_START_TIMEOUT_MS,
  );

  test(
    'a table made from an older template.yaml is refused, naming the folder to delete',
    async () => {
      const stateDir = folders.make('e2e-old-table-');
      const dataDir = join(stateDir, 'dynamodb');
      // The tickets table as an older template made it: one index fewer.
      const { logicalId, createTable: current } = readTableDefinition();
      const indexes = current.GlobalSecondaryIndexes!.filter((index) => index.IndexName !== 'byCreated');
      const keyAttributes = new Set(
        [...current.KeySchema!, ...indexes.flatMap((index) => index.KeySchema!)].map((key) => key.AttributeName),
      );
      const dynamoDb = await startDynamoDbLocal({ dbPath: dataDir });
      started.push(dynamoDb);
      const client = dynamoDbLocalClient(dynamoDb.endpoint);
      try {
        await client.send(
          new CreateTableCommand({
            ...current,
            TableName: logicalId, // the name the local system gives the table
            AttributeDefinitions: current.AttributeDefinitions!.filter((attribute) =>
              keyAttributes.has(attribute.AttributeName),
            ),
            GlobalSecondaryIndexes: indexes,
          }),
        );
      } finally {
        client.destroy();
      }
      await started.pop()!.stop();

      const failure = startLocalSystem(options({ stateDir }));

      await expect(failure).rejects.toThrow(LocalSystemError);
      await expect(failure).rejects.toThrow(`The table in ${dataDir} was made from an older template.yaml`);
      await expect(failure).rejects.toThrow('global secondary index byCreated is missing');
      await expect(failure).rejects.toThrow(`delete ${dataDir} to have it created afresh`);
      expect(runningChildren()).toEqual([]);
    },
    E2E_START_TIMEOUT_MS,
  );

  test(
    'the launcher is compiled for Java 17 into the cache folder, once',
    async () => {
      const cacheDir = folders.make('e2e-launcher-');
      started.push(await startDynamoDbLocal({ launcherCacheDir: cacheDir }));
      await started.pop()!.stop();
      const [key, ...others] = readdirSync(cacheDir);
      expect(others).toEqual([]);
      const classFile = join(cacheDir, key!, 'LoopbackDynamoDbLocal.class');
      const bytes = readFileSync(classFile);
      expect(bytes.readUInt32BE(0)).toBe(0xcafebabe);
      expect(bytes.readUInt16BE(6)).toBe(61); // class file version 61: Java 17
      const compiledAt = statSync(classFile).mtimeMs;

      started.push(await startDynamoDbLocal({ launcherCacheDir: cacheDir }));
      expect(readdirSync(cacheDir)).toEqual([key]);
      expect(readdirSync(join(cacheDir, key!))).toEqual(['LoopbackDynamoDbLocal.class']);
      expect(statSync(classFile).mtimeMs).toBe(compiledAt);
    },
    E2E_START_TIMEOUT_MS,
  );
});
