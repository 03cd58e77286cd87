import { ensureTemporalServer } from './lib/temporal-server';

/**
 * `node dist/scripts/ensure-temporal-server.js`: builds the pinned Temporal server, its schema
 * tool and the Web UI into the shared cache unless they are there (the first step of
 * `npm run test:cluster`, so that jest's timeouts never include a cold build).
 */
const started = Date.now();
ensureTemporalServer({ log: (line) => process.stdout.write(`[temporal-server] ${line}\n`) }).then(
  (b) => process.stdout.write(`[temporal-server] server ${b.version} and UI ${b.uiVersion} ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${b.server}\n`),
  (err) => {
    process.stderr.write(`[temporal-server] ${err instanceof Error ? err.message : err}\n`);
    process.exit(1);
  },
);
