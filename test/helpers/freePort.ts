// A loopback TCP port nothing listens on (it was free a moment ago): for servers a test
// starts on a port of its choosing, or for a connection that must be refused.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port from a loopback listener'));
      });
    });
  });
}
