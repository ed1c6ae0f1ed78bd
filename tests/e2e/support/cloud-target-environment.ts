/*
 * Runs before every test file of the cloud jest config (jest.cloud.config.js):
 * the contract target is the deployed stack of the users file CLOUD_USERS_FILE
 * names, .cloud/users.json unless set (tests/e2e/support/contract-target.ts).
 */
import { DEFAULT_USERS_FILE, USERS_FILE_VARIABLE } from '../../../scripts/cloud-users-file.js';

const given = process.env[USERS_FILE_VARIABLE];
if (given === undefined || given === '') process.env[USERS_FILE_VARIABLE] = DEFAULT_USERS_FILE;
