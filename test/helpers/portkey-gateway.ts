import path from 'node:path';
import { type Gateway, freePort, startGateway as start } from '../../src/rehearse/gateway.js';
import { packageRoot } from '../../src/util/paths.js';

export type { Gateway };
export { freePort };

/** The real Portkey AI gateway (@portkey-ai/gateway, a devDependency), started for one test file. */
export const GATEWAY_SCRIPT = path.join(packageRoot, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');

/** Starts the gateway headless on a free port and waits (at most `timeoutMs`) until GET / answers. */
export function startGateway(timeoutMs = 20_000): Promise<Gateway> {
  return start({ script: GATEWAY_SCRIPT, timeoutMs });
}
