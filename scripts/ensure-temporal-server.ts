import { ensureTemporalServer } from './lib/temporal-server';

/**
 * `node dist/scripts/ensure-temporal-server.js [--no-ui]`: builds the pinned Temporal server, its
 * schema tool and (unless --no-ui) the Web UI into the shared cache unless they are there. The
 * first step of `npm run test:cluster` (which needs no UI), so that jest's timeouts never include
 * a cold build.
 */
const started = Date.now();
const ui = !process.argv.includes('--no-ui');
ensureTemporalServer({ ui, log: (line) => process.stdout.write(`[temporal-server] ${line}\n`) }).then(
  (b) =>
    process.stdout.write(
      `[temporal-server] server ${b.version}${ui ? ` and UI ${b.uiVersion}` : ''} ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${b.server}\n`,
    ),
  (err) => {
    process.stderr.write(`[temporal-server] ${err instanceof Error ? err.message : err}\n`);
    process.exit(1);
  },
);
