import { Chalk, type ChalkInstance, supportsColor, supportsColorStderr } from 'chalk';

/**
 * Colour level for a stream, following the ecosystem's conventions:
 * FORCE_COLOR wins (as in Node itself), then NO_COLOR (any non-empty value, no-color.org),
 * then colour only when the stream is a terminal.
 */
export function colorLevel(stream: 'stdout' | 'stderr', env: NodeJS.ProcessEnv = process.env): 0 | 1 | 2 | 3 {
  const detected = stream === 'stdout' ? supportsColor : supportsColorStderr;
  const level = detected ? detected.level : 0;
  if ('FORCE_COLOR' in env) return level;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  return level;
}

export function makeChalk(stream: 'stdout' | 'stderr', env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  return new Chalk({ level: colorLevel(stream, env) });
}

export type { ChalkInstance };
