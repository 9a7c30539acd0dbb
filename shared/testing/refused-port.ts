// refusedPort(): a loopback port where nothing listens, to stand for a server that is down.
// Not "an ephemeral port just closed": the next server a test starts on port 0 may be given
// that very port, and a Redis client would then talk to an HTTP server. Ports below 1024 are
// never handed out as ephemeral ports, and nothing serves on port 1 (tcpmux) on a course machine;
// it is checked, so a machine where something does fails with a clear message.
import { connect } from 'node:net';

export const REFUSED_PORT = 1;

export async function refusedPort(): Promise<number> {
  const refused = await new Promise<boolean>((resolve) => {
    const socket = connect(REFUSED_PORT, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
  if (!refused) throw new Error(`something listens on 127.0.0.1:${REFUSED_PORT}; the suite needs a port where nothing does to stand for a server that is down`);
  return REFUSED_PORT;
}
