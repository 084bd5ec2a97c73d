import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on loopback, and how to stop it. */
export interface LoopbackServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts `server` on 127.0.0.1 (`port` 0: any free port); `close` also drops open connections. */
export async function listenOnLoopback(server: Server, port = 0): Promise<LoopbackServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * The whole body of a request, or `tooLarge()` as the rejection once it exceeds `maxBytes`. The
 * body is read to its end either way, so the stand-in can still answer with its error.
 */
export function readBody(request: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > maxBytes) reject(tooLarge());
      else resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}
