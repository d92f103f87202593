// Loopback helpers shared by the app's browser test and its benchmarks.
import { createServer, connect } from "node:net";

/** A TCP port nothing listens on right now. */
export async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * A TCP relay to `target` on 127.0.0.1 that counts the bytes its clients receive (what a light
 * client downloads): `relay.port` to connect to, `relay.received` so far, `relay.close()`.
 */
export async function countingRelay(target) {
  const relay = { received: 0 };
  const server = createServer((inbound) => {
    const outbound = connect(target, "127.0.0.1");
    outbound.on("data", (d) => (relay.received += d.length));
    inbound.pipe(outbound).pipe(inbound);
    const close = () => (inbound.destroy(), outbound.destroy());
    inbound.on("error", close).on("close", close);
    outbound.on("error", close).on("close", close);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  relay.port = server.address().port;
  relay.close = () => server.close();
  return relay;
}
