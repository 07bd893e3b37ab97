/** What a browser needs of the wire, without the schemas (and their builder library). */
export * from './codes.js';
export * from './emoticons.js';
export * from './emoticon-codec.js';
