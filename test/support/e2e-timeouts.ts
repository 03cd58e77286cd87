// Every e2e suite starts the whole system in beforeAll: the worker bundles the workflow code with
// webpack, which on a busy 2-core machine can take longer than jest's default 5 s. A hook that times
// out leaves webpack running after the environment is torn down, which crashes the whole run.
jest.setTimeout(60_000);
