/**
 * What a browser needs of the wire: the codes, limits, event names and emoticons at run time,
 * and every API and event shape as a type only, so that no schema library is bundled.
 */
export * from './codes.js';
export * from './limits.js';
export * from './events.js';
export * from './emoticons.js';
export * from './emoticon-codec.js';
export type * from './api/index.js';
export type * from './realtime.js';
export type { CallbackBodies, CallbackBody } from './callbacks.js';
