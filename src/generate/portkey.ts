// The Portkey config writer lives with everything else readiness knows about Portkey: src/gateway/portkey/writer.ts.
export * from '../gateway/portkey/writer.js';
export { portkeyWriter as portkeyGenerator } from '../gateway/portkey/writer.js';
