import net from 'node:net';

/**
 * A TCP forwarder on a loopback port in front of a real server (PostgreSQL, Redis), so a test
 * can cut the network between Botwire and it, and restore it, without stopping the server that
 * other tests share.
 */
export interface TcpProxy {
  /** The port to connect to instead of the target's. */
  readonly port: number;
  /** Whether it forwards now (false between {@link cut} and {@link restore}). */
  readonly listening: boolean;
  /** Ends every forwarded connection and stops listening: the target is unreachable. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Starts forwarding `127.0.0.1:<port>` to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A reset peer is what the test is about, not a failure of the proxy.
    socket.on('error', () => undefined);
  };
  const createServer = (): net.Server =>
    net.createServer((client) => {
      track(client);
      const upstream = net.connect(target.port, target.host);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });

  let server = createServer();
  await listen(server, 0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const { port } = address;

  const stop = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    port,
    get listening() {
      return server.listening;
    },
    cut: stop,
    async restore() {
      server = createServer();
      await listen(server, port);
    },
    close: async () => {
      if (server.listening) await stop();
      for (const socket of sockets) socket.destroy();
    },
  };
}
