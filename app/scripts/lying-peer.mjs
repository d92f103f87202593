// A peer that lies to light clients, for the app's browser test: the region's light-client
// refusal of a forged answer must reach the person, never be swallowed.
//
// It is a libp2p peer of its own (its own key, WebSocket listen address, Noise and Yamux, as a
// Substrate node speaks them) that sits between a light client and one real node of the region.
// Every substream either side opens is opened on the other side under the same protocol name
// and relayed byte for byte, so the light client syncs headers and finality from the real chain
// through it. Once `forge` is set, each answer to a light-client request (`/<genesis>/light/2`:
// the Merkle proofs of runtime calls and storage reads) has one byte of every proof entry
// changed on its way back. A light client that checks proofs against the finalized state root
// cannot take such an answer; one that trusted its peer would.
//
// No light client can be tricked by tampering in transit: Noise authenticates the node. A
// light client is only ever lied to by a peer it chose to connect to, which is what this is.
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { ping } from "@libp2p/ping";
import { webSockets } from "@libp2p/websockets";
import { multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import { WebSocket } from "ws";

// libp2p 3 calls Promise.withResolvers, which Node has from version 22; the project runs on 20.
Promise.withResolvers ??= function withResolvers() {
  let resolve, reject;
  const promise = new this((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
};
// …and dials WebSockets through the global WebSocket, also Node 22's.
globalThis.WebSocket ??= WebSocket;

/** The Substrate protocols a light client and a node speak, under a chain's genesis hash. */
const NOTIFICATIONS = ["block-announces/1", "grandpa/1", "transactions/1"];
/** …and those of one request and one answer per substream. */
const REQUESTS = ["sync/2", "light/2", "sync/warp", "state/2"];

/**
 * Starts a lying peer in front of the node at `bootnode` (a `/ip4/…/tcp/…/ws/p2p/…` address)
 * of the chain whose genesis hash is `genesis` (0x-prefixed hex). Returns `address` (the
 * multiaddr a chain spec's bootNodes names it by), `forge` (set it to start lying), `forged`
 * (how many answers it changed) and `stop()`.
 */
export async function startLyingPeer({ bootnode, genesis }) {
  const node = multiaddr(bootnode);
  const nodePeer = bootnode.split("/p2p/")[1];
  const prefix = `/${genesis.replace(/^0x/, "").toLowerCase()}/`;
  const peer = {
    forge: false,
    forged: 0,
    address: "",
    stop: async () => {},
  };
  const libp2p = await createLibp2p({
    privateKey: await generateKeyPair("Ed25519"),
    addresses: { listen: ["/ip4/127.0.0.1/tcp/0/ws"] },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: () => false },
    services: { ping: ping() },
  });
  const toNode = await libp2p.dial(node);
  /** The light client's connection: the newest one that is not the node's. */
  let toClient;
  libp2p.addEventListener("connection:open", (e) => {
    if (e.detail.remotePeer.toString() !== nodePeer) toClient = e.detail;
  });

  const relay = (inbound, connection) => {
    const fromNode = connection.remotePeer.toString() === nodePeer;
    const other = fromNode ? toClient : toNode;
    if (!other || other.status !== "open") return inbound.abort(new Error("no peer on the other side"));
    // A request is read at once, before the other side's substream is open: its writer may
    // close right after sending it, and the bytes of a closed stream nobody reads are lost.
    const request = REQUESTS.some((r) => inbound.protocol.endsWith(`/${r}`)) ? readMessage(inbound) : undefined;
    request?.catch(() => {}); // relayRequest reports it, once the other side is open
    // A light client opens its transactions and GRANDPA substreams as soon as its block-announces
    // one is accepted. The node refuses them until its sync has taken the peer in, moments
    // later, and then waits ten seconds for the light client to open them again or drops the
    // connection; smoldot reopens later than that. Through a relay the race is lost every time,
    // so these two are opened on the node's side a second late.
    const late = !fromNode && /\/(transactions|grandpa)\/1$/.test(inbound.protocol);
    const opened = (late ? sleep(1_000) : Promise.resolve()).then(() =>
      other.newStream(inbound.protocol, { runOnLimitedConnection: true }),
    );
    opened.catch((e) => inbound.abort(e));
    if (request) return relayRequest(inbound, request, opened, !fromNode && inbound.protocol.endsWith("/light/2"));
    pipe(inbound, opened);
    opened.then((outbound) => pipe(outbound, Promise.resolve(inbound)), () => {});
  };

  /**
   * One request and its answer. A light-client answer (`light`) has its proofs changed on the
   * way back while `forge` is set.
   */
  const relayRequest = async (asker, request, opened, light) => {
    let answerer;
    try {
      answerer = await opened;
      const answered = readMessage(answerer);
      answered.catch(() => {}); // awaited below, unless the request failed first
      answerer.send(await request);
      await answerer.close();
      const answer = await answered;
      asker.send(light && peer.forge ? (peer.forged++, forgeAnswer(answer)) : answer);
      await asker.close();
    } catch (e) {
      asker.abort(e);
      answerer?.abort(e);
    }
  };

  const names = [...NOTIFICATIONS, ...REQUESTS].map((p) => prefix + p);
  await libp2p.handle(names, relay, { maxInboundStreams: 256, maxOutboundStreams: 256, runOnLimitedConnection: true });
  const listen = libp2p.getMultiaddrs().find((a) => a.toString().includes("/ws"));
  peer.address = listen.toString();
  peer.stop = async () => {
    await toNode.close().catch(() => {});
    await libp2p.stop();
  };
  return peer;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Relays every byte `from` receives to the stream `opened` gives, then closes its writing side. */
async function pipe(from, opened) {
  let to;
  try {
    for await (const chunk of from) {
      to ??= await opened;
      if (!to.send(chunk.subarray())) await to.onDrain();
    }
    to ??= await opened;
    await to.close();
  } catch (e) {
    from.abort(e);
    to?.abort(e);
  }
}

/**
 * One message framed by an unsigned-varint length, as libp2p request-response frames them. Read
 * from the stream's events, not its iterator: js-libp2p can announce that the remote closed its
 * writing side before it delivers the last bytes the remote sent (a request whose writer sent it
 * and closed at once), and an iterator ends at that announcement.
 */
function readMessage(stream) {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    let late;
    const done = (error, message) => {
      clearTimeout(late);
      stream.removeEventListener("message", onMessage);
      stream.removeEventListener("close", onClose);
      stream.removeEventListener("remoteCloseWrite", onEnd);
      error ? reject(error) : resolve(message);
    };
    const onMessage = (event) => {
      buffer = Buffer.concat([buffer, event.data.subarray()]);
      const header = varint(buffer, 0);
      if (header && buffer.length >= header.end + header.value) done(undefined, buffer.slice(0, header.end + header.value));
    };
    const onClose = (event) => done(event.error ?? new Error("the stream closed inside a message"));
    const onEnd = () => (late = setTimeout(() => done(new Error("the stream ended inside a message")), 100));
    stream.addEventListener("message", onMessage);
    stream.addEventListener("close", onClose);
    stream.addEventListener("remoteCloseWrite", onEnd);
    if (stream.remoteWriteStatus === "closed") onEnd();
  });
}

/** An unsigned LEB128 varint at `at`: its value and where it ends, or undefined if cut short. */
function varint(bytes, at) {
  let value = 0;
  for (let shift = 0, i = at; i < bytes.length; i++, shift += 7) {
    value += (bytes[i] & 0x7f) * 2 ** shift;
    if (bytes[i] < 0x80) return { value, end: i + 1 };
  }
  return undefined;
}

/**
 * A light-client answer (a length-prefixed `light.v1.Response`) with one byte of every entry of
 * its proof changed. The proof is field 2 (bytes) of the call or read response in field 1 or 2:
 * a SCALE `Vec<Vec<u8>>` of trie nodes. Lengths are unchanged, so the answer still parses; no
 * changed node hashes to what the state root commits to.
 */
function forgeAnswer(framed) {
  const out = Uint8Array.from(framed);
  const outer = varint(out, 0);
  const field = varint(out, outer.end); // tag of the response kind (field 1 or 2, wire type 2)
  const body = varint(out, field.end);
  let at = body.end;
  const end = body.end + body.value;
  while (at < end) {
    const tag = varint(out, at);
    const len = varint(out, tag.end);
    if (tag.value === ((2 << 3) | 2)) {
      forgeProof(out, len.end, len.end + len.value);
      return out;
    }
    at = len.end + len.value;
  }
  throw new Error("the answer holds no proof");
}

/** Changes the last byte of each entry of the SCALE `Vec<Vec<u8>>` in `bytes[start..end]`. */
function forgeProof(bytes, start, end) {
  let { value: count, end: at } = compact(bytes, start);
  for (; count > 0 && at < end; count--) {
    const len = compact(bytes, at);
    at = len.end + len.value;
    if (len.value > 0) bytes[at - 1] ^= 0x01;
  }
}

/** A SCALE compact integer at `at` (the single-, two- and four-byte modes a proof uses). */
function compact(bytes, at) {
  const mode = bytes[at] & 0b11;
  if (mode === 0) return { value: bytes[at] >> 2, end: at + 1 };
  if (mode === 1) return { value: (bytes[at] | (bytes[at + 1] << 8)) >> 2, end: at + 2 };
  if (mode === 2) return { value: (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 2, end: at + 4 };
  throw new Error("a proof entry longer than a SCALE compact's four-byte mode");
}
