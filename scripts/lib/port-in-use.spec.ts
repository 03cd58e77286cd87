import { createServer, type Server } from 'node:net';
import { freePort, portInUse } from './services';

/** `npm start` refuses a port another process holds (a provider or API left over from another checkout). */
describe('portInUse', () => {
  it('is true while another server listens on the port, on any interface, and false once it has gone', async () => {
    const port = await freePort();
    expect(await portInUse(port)).toBe(false);
    const other: Server = createServer();
    await new Promise<void>((ready) => other.listen(port, '0.0.0.0', ready));
    try {
      expect(await portInUse(port)).toBe(true);
    } finally {
      await new Promise<void>((closed) => other.close(() => closed()));
    }
    expect(await portInUse(port)).toBe(false);
  });
});
