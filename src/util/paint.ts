import type { ChalkInstance } from 'chalk';

/** A chalk look-alike that paints nothing: `p.red.bold('x') === 'x'`. */
const plain: ChalkInstance = new Proxy(((s: unknown) => String(s)) as unknown as ChalkInstance, {
  // not a thenable: an async function returning it must not be awaited into a hang
  get: (_target, prop) => (prop === 'then' ? undefined : prop === 'level' ? 0 : plain),
  apply: (_target, _this, args: unknown[]) => args.map(String).join(' '),
});
export const plainPainter: ChalkInstance = plain;

/**
 * Colours for one output stream, decided from the command's own environment and terminal: FORCE_COLOR
 * wins (as in Node), then NO_COLOR (any non-empty value), then colour only on a terminal. chalk is only
 * loaded when colour is possible, so a run in CI or into a pipe does not pay for it.
 */
export async function painterFor(stream: 'stdout' | 'stderr', env: NodeJS.ProcessEnv, isTTY: boolean): Promise<ChalkInstance> {
  if (!('FORCE_COLOR' in env) && ((env.NO_COLOR !== undefined && env.NO_COLOR !== '') || !isTTY)) return plainPainter;
  return (await import('./color.js')).makeChalk(stream, env);
}
