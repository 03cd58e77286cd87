import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tenderflow/config';
import { consoleConfig, consoleCsp, consoleDistDir } from './console-static';

describe('the console as static files', () => {
  it('finds dist/console above the code, from the sources and from the compiled dist/apps/api/src/console', () => {
    const root = mkdtempSync(join(tmpdir(), 'console-dist-'));
    const source = join(root, 'apps/api/src/console');
    const compiled = join(root, 'dist/apps/api/src/console');
    mkdirSync(source, { recursive: true });
    mkdirSync(compiled, { recursive: true });
    expect(consoleDistDir(source)).toBeUndefined();
    mkdirSync(join(root, 'dist/console'), { recursive: true });
    writeFileSync(join(root, 'dist/console/index.html'), '<!doctype html>');
    expect(consoleDistDir(source)).toBe(join(root, 'dist/console'));
    expect(consoleDistDir(compiled)).toBe(join(root, 'dist/console'));
  });

  it('tells the console its issuer, client and redirect URIs under PUBLIC_BASE_URL', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PUBLIC_BASE_URL: 'https://upphandling.example/',
      AUTH_ISSUER: 'https://login.example',
      TEMPORAL_UI_URL: 'https://temporal.example',
    });
    expect(consoleConfig(config)).toEqual({
      issuer: 'https://login.example',
      clientId: 'tenderflow-console',
      redirectUri: 'https://upphandling.example/console/callback',
      postLogoutRedirectUri: 'https://upphandling.example/console/',
      temporalWorkflowsUrl: 'https://temporal.example/namespaces/default/workflows',
    });
  });

  it("allows scripts from the origin only, and connections and forms to the origin and the issuer's origin", () => {
    const csp = consoleCsp('https://login.example/realms/region');
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' https://login.example;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(consoleCsp(undefined)).toContain("connect-src 'self';");
  });
});
