/**
 * Streamed answers through the open-source Portkey gateway on Node.js fail when it runs with a
 * `@hono/node-server` from 1.14.2 up to 2.0.11: every streamed request is answered 500
 * `{"status":"failure","message":"Something went wrong"}` with `x-portkey-gateway-exception: true`, and the
 * gateway logs `TypeError: immutable` from `updateHeaders()`, whatever the provider sent.
 *
 * Why (read in the 1.15.2 build, node_modules/@portkey-ai/gateway/build/start-server.js, and its source,
 * src/handlers/streamHandler.ts and src/handlers/services/responseService.ts at Portkey-AI/gateway 669825c):
 * for a stream the gateway wraps the provider's fetch() answer as `new Response(readable, upstreamResponse)`
 * and then appends its x-portkey-* headers to that Response. On Node, @hono/node-server replaces the global
 * Response with its lightweight one (src/response.ts, node_modules/@hono/node-server/dist/response.mjs); from
 * 1.14.2 on that class keeps the init's Headers object itself, i.e. the fetch answer's headers, whose guard
 * is "immutable" (https://fetch.spec.whatwg.org/#headers-guard), so `append` throws. 1.14.1 and earlier
 * copied them, and so does 2.0.12 on (https://github.com/honojs/node-server/pull/382, "copy headers when init
 * is a foreign Response"). The gateway declares `"@hono/node-server": "^1.3.3"` and its own lockfile pins 1.13.5 (with
 * @hono/node-ws 1.2.0), but an `npm install @portkey-ai/gateway` (or npx) resolves the newest 1.x.
 *
 * Measured here (a mock provider, the gateway, one streamed request; Node 20.20.2, 3 December 2026): gateway 1.15.2 with
 * @hono/node-server 1.13.5, 1.14.0, 1.14.1, 2.0.12, 2.1.0, 2.1.9 streams; with 1.14.2, 1.14.3, 1.19.19, 2.0.0,
 * 2.0.6, 2.0.10, 2.0.11 it fails (non-streamed answers pass with 1.19.19). Reported upstream
 * as https://github.com/Portkey-AI/gateway/issues/1389 (chat completions) and
 * https://github.com/Portkey-AI/gateway/issues/1550 (/v1/responses with stream: true); the fix proposed in
 * https://github.com/Portkey-AI/gateway/pull/1390 was not merged in 1.15.2, the newest release on npm.
 */
export const PORTKEY_STREAMING = {
  dependency: '@hono/node-server',
  /** the first version measured to break streaming, and the first measured to stream again */
  firstBroken: [1, 14, 2] as const,
  firstFixed: [2, 0, 12] as const,
  /** what the gateway's own package-lock.json pins (with @hono/node-ws 1.2.0) */
  pinned: '1.13.5',
  pinnedNodeWs: '1.2.0',
  sources: [
    { title: 'Portkey-AI/gateway#1389: TypeError: immutable with incompatible @hono/node-server', url: 'https://github.com/Portkey-AI/gateway/issues/1389' },
    { title: 'Portkey-AI/gateway#1550: stream=true throws TypeError: immutable in updateHeaders', url: 'https://github.com/Portkey-AI/gateway/issues/1550' },
    { title: 'Portkey-AI/gateway#1390: work around the immutable header guard (open)', url: 'https://github.com/Portkey-AI/gateway/pull/1390' },
    { title: 'honojs/node-server#382: copy headers when init is a foreign Response (in 2.0.12)', url: 'https://github.com/honojs/node-server/pull/382' },
  ],
} as const;

const compare = (a: readonly number[], b: readonly number[]): number => {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
};

/**
 * Whether the gateway, running with this @hono/node-server version, answers streamed requests with 500:
 * from firstBroken up to, not including, firstFixed. undefined for a version that is not x.y.z.
 */
export function portkeyStreamingBroken(nodeServerVersion: string): boolean | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(nodeServerVersion.trim());
  if (!m) return undefined;
  const v = [Number(m[1]), Number(m[2]), Number(m[3])];
  return compare(v, PORTKEY_STREAMING.firstBroken) >= 0 && compare(v, PORTKEY_STREAMING.firstFixed) < 0;
}

/** What an operator reads when streaming is broken by the installed @hono/node-server. */
export function portkeyStreamingAdvice(nodeServerVersion: string): string {
  return (
    `the Portkey gateway runs with @hono/node-server ${nodeServerVersion}: from 1.14.2 to 2.0.11 every streamed request through it ` +
    `is answered 500 (TypeError: immutable in updateHeaders, ${PORTKEY_STREAMING.sources[0].url}); pin @hono/node-server ` +
    `${PORTKEY_STREAMING.pinned} and @hono/node-ws ${PORTKEY_STREAMING.pinnedNodeWs} (npm "overrides"), as the gateway's own lockfile does`
  );
}
