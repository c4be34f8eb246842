#!/usr/bin/env node
// Small helpers for tools/kafka/broker.sh, with no dependency beyond Node itself:
//   node broker-util.js free-ports N      N distinct free TCP ports on 127.0.0.1, one per line
//   node broker-util.js cluster-id        a random Kafka cluster id (base64url of 16 bytes, 22 chars)
//   node broker-util.js probe HOST PORT   exit 0 once the broker at HOST:PORT answers a Metadata request
//                                         listing itself as a live (unfenced) broker, else exit 1
'use strict';
const net = require('node:net');
const crypto = require('node:crypto');

const PROBE_TIMEOUT_MS = 2_000;
const API_KEY_METADATA = 3;
const API_KEY_API_VERSIONS = 18;

async function freePorts(count) {
  // Hold every listener open until all are bound so the ports are distinct.
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, resolve);
      });
      servers.push(server);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

function clusterId() {
  // Kafka's Uuid.toString is base64url without padding; a leading '-' would read as a CLI option.
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** One request/response exchange on an open socket (request header v1, response header v0). */
function exchange(socket, apiKey, apiVersion, correlationId, body) {
  const clientId = Buffer.from('broker-probe');
  const header = Buffer.alloc(2 + 2 + 4 + 2);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(clientId.length, 8);
  const payload = Buffer.concat([header, clientId, body]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length, 0);

  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const length = received.readInt32BE(0);
      if (received.length < 4 + length) return;
      cleanup();
      const response = received.subarray(4, 4 + length);
      if (response.readInt32BE(0) !== correlationId) return reject(new Error('correlation id mismatch'));
      resolve(response.subarray(4));
    };
    const onClose = () => {
      cleanup();
      reject(new Error('connection closed'));
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('close', onClose);
    };
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.write(Buffer.concat([size, payload]));
  });
}

async function probe(host, port) {
  const socket = net.connect({ host, port });
  socket.on('error', () => {});
  const timer = setTimeout(() => socket.destroy(new Error('probe timed out')), PROBE_TIMEOUT_MS);
  try {
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    // ApiVersions v0: every broker accepts it; tells which Metadata versions this one serves.
    const versions = await exchange(socket, API_KEY_API_VERSIONS, 0, 1, Buffer.alloc(0));
    if (versions.readInt16BE(0) !== 0) throw new Error(`ApiVersions error ${versions.readInt16BE(0)}`);
    const apiCount = versions.readInt32BE(2);
    let metadataRange = null;
    for (let i = 0, at = 6; i < apiCount; i++, at += 6) {
      if (versions.readInt16BE(at) === API_KEY_METADATA) {
        metadataRange = [versions.readInt16BE(at + 2), versions.readInt16BE(at + 4)];
      }
    }
    if (!metadataRange) throw new Error('broker serves no Metadata API');
    // Metadata v4..v8 share one non-flexible layout; pick the lowest of those the broker serves.
    const version = Math.max(4, metadataRange[0]);
    if (version > Math.min(8, metadataRange[1])) {
      throw new Error(`no Metadata version in 4..8 (broker serves ${metadataRange.join('..')})`);
    }
    const body = Buffer.alloc(version >= 8 ? 7 : 5);
    body.writeInt32BE(-1, 0); // topics: null = all (none needed, only the broker list)
    // allow_auto_topic_creation and (v8) include_*_authorized_operations stay false (0).
    const metadata = await exchange(socket, API_KEY_METADATA, version, 2, body);
    const brokerCount = metadata.readInt32BE(4); // after throttle_time_ms
    let at = 8;
    for (let i = 0; i < brokerCount; i++) {
      at += 4; // node_id
      const hostLength = metadata.readInt16BE(at);
      const brokerHost = metadata.toString('utf8', at + 2, at + 2 + hostLength);
      at += 2 + hostLength;
      const brokerPort = metadata.readInt32BE(at);
      at += 4;
      const rackLength = metadata.readInt16BE(at);
      at += 2 + Math.max(0, rackLength);
      if (brokerHost === host && brokerPort === port) return;
    }
    throw new Error(`broker ${host}:${port} not yet listed as live (${brokerCount} live brokers)`);
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
}

async function main(argv) {
  const [command, ...args] = argv;
  switch (command) {
    case 'free-ports':
      for (const port of await freePorts(Number(args[0] ?? 1))) console.log(port);
      return 0;
    case 'cluster-id':
      console.log(clusterId());
      return 0;
    case 'probe':
      try {
        await probe(args[0], Number(args[1]));
        return 0;
      } catch (error) {
        if (process.env.KAFKA_PROBE_VERBOSE) console.error(`probe: ${error.message}`);
        return 1;
      }
    default:
      console.error('usage: broker-util.js free-ports N | cluster-id | probe HOST PORT');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
