export * from './common.js';
export * from './agent.js';
export * from './supervisor.js';
export * from './admin.js';
export * from './webchat.js';
export * from './bridge.js';
