// Workflow and e2e suites start a worker in beforeAll: it bundles the workflow code with webpack,
// and the time-skipping server or the whole system starts too; on a busy 2-core machine that can
// take longer than jest's default 5 s. A hook that times out leaves webpack running after the
// environment is torn down, which can crash the whole run.
jest.setTimeout(60_000);
