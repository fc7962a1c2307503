import net from 'node:net';

/** A TCP port free on 127.0.0.1 right now (as scripts/free-port.mjs, which Jest cannot load). */
export const freePort = (): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
