// A TCP relay in front of a test database, for suites that must cut a connection the way a
// failover or a network fault would (the server itself is untouched). Loopback only.
import net from 'node:net';

export interface Relay {
  /** The database URL, through the relay. */
  url: string;
  /** Resets every connection through the relay. */
  cut(): void;
  close(): Promise<void>;
}

/** Starts a relay to the database at `target` (a postgres:// URL). */
export async function startRelay(target: string): Promise<Relay> {
  const upstream = new URL(target);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    // URL hostnames keep an IPv6 address in brackets; net.connect wants it bare.
    const outbound = net.connect(Number(upstream.port || 5432), upstream.hostname.replace(/^\[(.*)\]$/, '$1'));
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('error', drop);
      socket.on('close', drop);
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relayed = new URL(target);
  relayed.hostname = '127.0.0.1';
  relayed.port = String((server.address() as net.AddressInfo).port);
  return {
    url: relayed.toString(),
    cut: () => {
      for (const socket of sockets) socket.resetAndDestroy();
      sockets.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
