import request from 'supertest';
import type { Response } from 'superagent';

/** supertest's parser for a binary body (a PDF): the bytes as one Buffer. */
export function binaryBody(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** A tender's whole audit chain over HTTP, page by page: each event's type and hash by its index. */
export async function auditChain(
  http: Parameters<typeof request>[0],
  id: string,
  token: string,
): Promise<Map<number, { type: string; hash: string }>> {
  const chain = new Map<number, { type: string; hash: string }>();
  for (let cursor: string | null = ''; cursor !== null;) {
    const page: request.Response = await request(http)
      .get(`/tenders/${id}/audit${cursor ? `?cursor=${cursor}` : ''}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    for (const e of page.body.items as { index: number; type: string; hash: string }[]) chain.set(e.index, e);
    cursor = page.body.nextCursor;
  }
  return chain;
}
