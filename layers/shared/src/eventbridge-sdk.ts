/*
 * The SDK class aws-clients.ts makes the EventBridge client with, loaded by its
 * dynamic import on first use. Named here so that the bundle keeps only this
 * (a dynamic import of the package itself would keep every command of it).
 */
export { EventBridgeClient } from '@aws-sdk/client-eventbridge';
