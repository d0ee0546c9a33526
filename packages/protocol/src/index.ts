/**
 * @botwire/protocol: the contract between Botwire's server and its clients. Every frame and REST
 * body is a zod schema here; every type is inferred from its schema. No Node or DOM imports.
 */
export * from './chat-message.js';
export * from './client-frames.js';
export * from './close-codes.js';
export * from './component-types.js';
export * from './components.js';
export * from './connection-admin.js';
export * from './conversations.js';
export * from './decode.js';
export * from './error-codes.js';
export * from './frame-text.js';
export * from './images.js';
export * from './pipeline-config.js';
export * from './reply-figures.js';
export * from './rest.js';
export * from './user-admin.js';
export * from './widget.js';
export * from './result.js';
export * from './server-frame-check.js';
export * from './server-frames.js';

/** Bumped on any breaking change to frames or REST bodies; sent in the `connected` frame. */
export const PROTOCOL_VERSION = 1;
