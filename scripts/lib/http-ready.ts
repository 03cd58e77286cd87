/**
 * Waits until `url` answers 2xx: an API's /health/ready, the Temporal UI. Each attempt has its own
 * 5 s limit; between attempts `alive` may throw to stop early (a process that already exited).
 */
export async function waitForHttpOk(
  url: string,
  opts: { timeoutMs?: number; what?: string; alive?: () => void } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  let last = '';
  while (Date.now() < deadline) {
    opts.alive?.();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${opts.what ?? 'not'} ready at ${url}: ${last}`);
}
