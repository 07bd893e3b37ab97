export * from './codes.js';
export * from './tpi.js';
export * from './callbacks.js';
export * from './emoticons.js';
export * from './emoticon-codec.js';
