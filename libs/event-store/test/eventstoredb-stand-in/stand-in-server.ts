/*
 * A wire-level stand-in for EventStoreDB, for tests only: a gRPC server on 127.0.0.1 that serves the
 * service definitions `@eventstore/db-client` 6.2.1 ships (its `generated/*_grpc_pb`), so the real
 * client, and the adapter over it, run unchanged against it. It is NOT EventStoreDB: one in-memory node
 * (`stand-in-log.ts`), no disk, no cluster, no authentication, no projections. What it serves:
 *
 * - ServerFeatures.GetSupportedMethods: the methods below, so the client picks Streams.BatchAppend
 *   (what servers since 21.10 offer, the production path) or, with `appendRpc: 'append'`, Streams.Append
 *   (the path for servers without BatchAppend).
 * - Gossip.Read: this one node as the leader, so cluster connection strings (several hosts) work.
 * - Streams.Append (client streaming: options, then proposed messages) and Streams.BatchAppend
 *   (bidirectional, correlated by id): expected revision any / no_stream / stream_exists / exact,
 *   idempotent repeats, wrong expected version with the current revision, EventStoreDB's write timeout,
 *   maximum append size, required `type` and `content-type`.
 * - Streams.Read: one stream or $all, forwards or backwards, from start / end / a revision / a position
 *   (forwards inclusive, backwards exclusive, as EventStoreDB reads $all), count, stream and event-type
 *   filters (prefixes or a regex, JavaScript's rather than .NET's), stream_not_found; and live
 *   subscriptions to $all: confirmation, history then live events from *after* the given position,
 *   caught-up, and checkpoints for filtered subscriptions. Stream subscriptions are not served.
 *
 * A TCP relay stands in front of the gRPC server, so a test can cut every connection the way a network
 * or a crashed node does (`dropConnections`), stop and restart the node on the same port keeping its log,
 * and make the next append fail in chosen ways (`injectAppendFault`).
 */
import { randomUUID } from 'node:crypto';
import * as net from 'node:net';
import { dirname } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';
import { ClusterInfo, EndPoint, MemberInfo } from '@eventstore/db-client/generated/gossip_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import {
  AllStreamPosition,
  Empty,
  MaximumAppendSizeExceeded,
  StreamIdentifier,
  Timeout,
  UUID,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import {
  ProposedStandInEvent,
  StandInAppendOutcome,
  StandInEvent,
  StandInExpected,
  StandInLog,
  isUuid,
} from './stand-in-log';

// The service definitions only match a server of the same grpc-js the generated code requires.
const clientGrpcJs = require.resolve('@grpc/grpc-js', {
  paths: [dirname(require.resolve('@eventstore/db-client/generated/streams_grpc_pb'))],
});
if (clientGrpcJs !== require.resolve('@grpc/grpc-js')) {
  throw new Error(`EventStoreDB stand-in: @grpc/grpc-js at ${require.resolve('@grpc/grpc-js')} is not the client's (${clientGrpcJs})`);
}

export type AppendRpc = 'batch-append' | 'append';

/** What the next append (to a given stream, or any) meets. One fault is used once. */
export type AppendFault =
  /**
   * Every connection is cut (no gRPC status), before the events are stored or after, unanswered;
   * `meanwhile` runs right after (another writer, say), before the client can try again.
   */
  | { kind: 'drop-connection'; at: 'before-store' | 'after-store'; meanwhile?: () => void }
  /** The call fails with UNAVAILABLE (a node going away); on BatchAppend the whole call fails. */
  | { kind: 'unavailable'; at: 'before-store' | 'after-store'; meanwhile?: () => void }
  /**
   * The write takes `delayMs`. Past the write timeout (or the request's deadline, if sooner) the stand-in
   * answers Timeout, as EventStoreDB does; the write itself lands at `delayMs` if `store`, or never.
   */
  | { kind: 'slow'; delayMs: number; store: boolean }
  /** No answer and no write, ever; the connection stays up (a hung node). */
  | { kind: 'stall' };

export interface StandInOptions {
  appendRpc?: AppendRpc;
  /** How long a write may take before the stand-in answers Timeout; EventStoreDB's default is 2 s. */
  writeTimeoutMs?: number;
  /** Bytes of data, metadata and type per append; EventStoreDB's default is 1 MiB. */
  maxAppendSize?: number;
  /** Write a few system events (`$`-streams and types, one non-JSON) first, as a real node has. */
  systemEvents?: boolean;
  /** Start on a given log (it survives the stand-in); a new empty one by default. */
  log?: StandInLog;
}

export interface StandInStats {
  connections: number;
  appendRequests: number;
  reads: number;
  subscriptions: number;
}

export interface EventStoreDbStandIn {
  readonly port: number;
  /** `esdb://127.0.0.1:<port>?tls=false` */
  readonly connectionString: string;
  readonly log: StandInLog;
  readonly stats: StandInStats;
  injectAppendFault(fault: AppendFault, options?: { streamName?: string }): void;
  /** Cuts every open connection now; the node keeps serving new ones. */
  dropConnections(): void;
  /** Ends every live subscription call with the given status (UNAVAILABLE by default). */
  failSubscriptions(code?: grpc.status): void;
  /** A system event at the end of the log, as a node writes its statistics now and then. */
  appendSystemEvent(): void;
  /** The node goes down (connections cut, port closed); its log stays. */
  stop(): Promise<void>;
  /** The node comes back on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startEventStoreDbStandIn(options: StandInOptions = {}): Promise<EventStoreDbStandIn> {
  const standIn = new StandIn(options);
  await standIn.start();
  return standIn;
}

type Answer =
  | { kind: 'outcome'; outcome: StandInAppendOutcome }
  | { kind: 'timeout' }
  | { kind: 'unavailable' }
  | { kind: 'invalid'; message: string; exception: Record<string, string> | undefined }
  | { kind: 'none' };

interface AppendRequest {
  streamName: string;
  expected: StandInExpected;
  events: ProposedStandInEvent[] | { invalid: string; exception?: Record<string, string> };
  /** When the client gives up (Append: the call's deadline; BatchAppend: the request's). */
  deadline: number;
  /** Resolves when the call is gone (cancelled, connection closed). */
  gone: Promise<void>;
}

const READ_BATCH_SIZE = 32;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(ms, 0)));
}

function nameOf(identifier: StreamIdentifier | undefined): string {
  return identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';
}

function identifierOf(streamName: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(streamName, 'utf8'));
}

function uuidOf(id: string): UUID {
  return new UUID().setString(id);
}

function statusError(code: grpc.status, details: string, exception?: Record<string, string>): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(exception ?? {})) metadata.set(key, value);
  return { code, details, metadata };
}

function packed(message: { serializeBinary(): Uint8Array }, typeName: string): Any {
  const any = new Any();
  any.pack(message.serializeBinary(), typeName);
  return any;
}

function callGone(call: { cancelled: boolean } & NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    if (call.cancelled) resolve();
    call.once('cancelled', () => resolve());
    call.once('close', () => resolve());
  });
}

/** Writes with back-pressure; false once the call is gone. */
async function send<T>(call: grpc.ServerWritableStream<unknown, T> | grpc.ServerDuplexStream<unknown, T>, message: T): Promise<boolean> {
  if (call.cancelled || call.destroyed || call.writableEnded) return false;
  if (!call.write(message)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        call.off('drain', done);
        call.off('cancelled', done);
        call.off('close', done);
        resolve();
      };
      call.on('drain', done);
      call.on('cancelled', done);
      call.on('close', done);
    });
  }
  return !call.cancelled && !call.destroyed;
}

function proposedFrom(messages: Array<AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage>, maxAppendSize: number): AppendRequest['events'] {
  const events: ProposedStandInEvent[] = [];
  let size = 0;
  for (const message of messages) {
    const type = message.getMetadataMap().get('type');
    const contentType = message.getMetadataMap().get('content-type');
    if (type === undefined || contentType === undefined) {
      const missing = type === undefined ? 'type' : 'content-type';
      return {
        invalid: `Required metadata property ${missing} is missing`,
        exception: { exception: 'missing-required-metadata-property', 'required-metadata-properties': missing },
      };
    }
    const id = message.getId()?.getString() ?? '';
    if (!isUuid(id)) return { invalid: `Invalid event id ${id}` };
    const data = message.getData_asU8();
    const metadata = message.getCustomMetadata_asU8();
    size += data.length + metadata.length + Buffer.byteLength(type);
    if (size > maxAppendSize) {
      return {
        invalid: `Maximum Append Size of ${maxAppendSize} Exceeded.`,
        exception: { exception: 'maximum-append-size-exceeded', 'maximum-append-size': String(maxAppendSize) },
      };
    }
    events.push({ id, type, isJson: contentType === 'application/json', data, metadata });
  }
  return events;
}

function filterOf(options: ReadReq.Options): ((event: StandInEvent) => boolean) | undefined {
  if (options.getFilterOptionCase() !== ReadReq.Options.FilterOptionCase.FILTER) return undefined;
  const filter = options.getFilter() as ReadReq.Options.FilterOptions;
  const onStream = filter.getFilterCase() === ReadReq.Options.FilterOptions.FilterCase.STREAM_IDENTIFIER;
  const expression = (onStream ? filter.getStreamIdentifier() : filter.getEventType()) as ReadReq.Options.FilterOptions.Expression;
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const prefixes = expression.getPrefixList();
  return (event) => {
    const subject = onStream ? event.streamName : event.type;
    return regex ? regex.test(subject) : prefixes.some((prefix) => subject.startsWith(prefix));
  };
}

function readResp(event: StandInEvent): ReadResp {
  const position = event.position.toString();
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidOf(event.id))
    .setStreamIdentifier(identifierOf(event.streamName))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition(position)
    .setPreparePosition(position)
    .setData(event.data)
    .setCustomMetadata(event.metadata);
  recorded.getMetadataMap().set('type', event.type);
  recorded.getMetadataMap().set('content-type', event.isJson ? 'application/json' : 'application/octet-stream');
  // .NET ticks (100 ns) since the Unix epoch.
  recorded.getMetadataMap().set('created', (BigInt(event.created.getTime()) * 10_000n).toString());
  return new ReadResp().setEvent(new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(position));
}

/** Front door: a TCP relay to the gRPC server, so a test can cut connections as a network would. */
class Relay {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly backendPort: () => number,
    private readonly onConnection: () => void,
  ) {}

  listen(port: number): Promise<number> {
    const server = net.createServer((client) => {
      this.onConnection();
      const backend = net.connect({ host: '127.0.0.1', port: this.backendPort() });
      for (const socket of [client, backend]) {
        socket.setNoDelay(true);
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          backend.destroy();
        });
      }
      client.pipe(backend);
      backend.pipe(client);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
  }

  dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.dropAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

class StandIn implements EventStoreDbStandIn {
  readonly log: StandInLog;
  readonly stats: StandInStats = { connections: 0, appendRequests: 0, reads: 0, subscriptions: 0 };
  port = 0;
  private readonly appendRpc: AppendRpc;
  private readonly writeTimeoutMs: number;
  private readonly maxAppendSize: number;
  private readonly relay: Relay;
  private server: grpc.Server | undefined;
  private backendPort = 0;
  private readonly faults: Array<{ fault: AppendFault; streamName: string | undefined }> = [];
  private readonly liveSubscriptions = new Set<grpc.ServerWritableStream<ReadReq, ReadResp>>();
  private readonly instanceId = randomUUID();

  constructor(options: StandInOptions) {
    this.appendRpc = options.appendRpc ?? 'batch-append';
    this.writeTimeoutMs = options.writeTimeoutMs ?? 2_000;
    this.maxAppendSize = options.maxAppendSize ?? 1_048_576;
    this.log = options.log ?? new StandInLog();
    this.relay = new Relay(
      () => this.backendPort,
      () => (this.stats.connections += 1),
    );
    if (!options.log && (options.systemEvents ?? true)) this.writeSystemEvents();
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  async start(): Promise<void> {
    const server = new grpc.Server();
    server.addService(ServerFeaturesService, { getSupportedMethods: this.getSupportedMethods });
    server.addService(GossipService, { read: this.gossipRead });
    // Methods left out (Delete, Tombstone) are answered UNIMPLEMENTED by grpc-js.
    server.addService(StreamsService, {
      read: this.read,
      ...(this.appendRpc === 'batch-append' ? { append: this.append, batchAppend: this.batchAppend } : { append: this.append }),
    });
    this.backendPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
    this.server = server;
    this.port = await this.relay.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.relay.close();
    this.server?.forceShutdown();
    this.server = undefined;
    this.liveSubscriptions.clear();
  }

  close(): Promise<void> {
    return this.stop();
  }

  injectAppendFault(fault: AppendFault, options: { streamName?: string } = {}): void {
    this.faults.push({ fault, streamName: options.streamName });
  }

  dropConnections(): void {
    this.relay.dropAll();
  }

  failSubscriptions(code: grpc.status = grpc.status.UNAVAILABLE): void {
    for (const call of this.liveSubscriptions) call.emit('error', statusError(code, 'stand-in: subscription dropped'));
    this.liveSubscriptions.clear();
  }

  appendSystemEvent(): void {
    const data = Buffer.from(JSON.stringify({ 'proc-cpu': 1.5, 'proc-mem': 123456 }));
    this.log.append('$stats-127.0.0.1:2113', { kind: 'any' }, [
      { id: randomUUID(), type: '$statsCollected', isJson: true, data, metadata: new Uint8Array() },
    ]);
  }

  private writeSystemEvents(): void {
    const json = (value: unknown) => Buffer.from(JSON.stringify(value));
    const none = new Uint8Array();
    this.log.append('$users', { kind: 'no_stream' }, [{ id: randomUUID(), type: '$UserCreated', isJson: true, data: json('admin'), metadata: none }]);
    this.log.append('$user-admin', { kind: 'no_stream' }, [
      { id: randomUUID(), type: '$user', isJson: true, data: json({ loginName: 'admin', groups: ['$admins'] }), metadata: none },
    ]);
    // A non-$ type in a $-stream, and a binary event: the adapter must skip both.
    this.log.append('$settings', { kind: 'no_stream' }, [
      { id: randomUUID(), type: 'update-default-acl', isJson: true, data: json({ $userStreamAcl: { $r: '$all' } }), metadata: none },
    ]);
    this.log.append('$scavenges', { kind: 'no_stream' }, [
      { id: randomUUID(), type: '$scavengeIndexInitialized', isJson: false, data: Buffer.from([1, 2, 3]), metadata: none },
    ]);
  }

  private takeFault(streamName: string): AppendFault | undefined {
    const index = this.faults.findIndex((entry) => entry.streamName === undefined || entry.streamName === streamName);
    return index < 0 ? undefined : this.faults.splice(index, 1)[0]?.fault;
  }

  // ---- ServerFeatures and Gossip ------------------------------------------------------------------

  private readonly getSupportedMethods: grpc.handleUnaryCall<Empty, SupportedMethods> = (_call, callback) => {
    const method = (serviceName: string, methodName: string, features: string[] = []) =>
      new SupportedMethod().setServiceName(serviceName).setMethodName(methodName).setFeaturesList(features);
    const streams = 'event_store.client.streams.streams';
    const methods = [
      method(streams, 'read', ['position', 'events']),
      method(streams, 'append'),
      ...(this.appendRpc === 'batch-append' ? [method(streams, 'batchappend')] : []),
      method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
      method('event_store.client.gossip.gossip', 'read'),
    ];
    callback(null, new SupportedMethods().setMethodsList(methods).setEventStoreServerVersion('0.0.0-stand-in'));
  };

  private readonly gossipRead: grpc.handleUnaryCall<Empty, ClusterInfo> = (_call, callback) => {
    const member = new MemberInfo()
      .setInstanceId(uuidOf(this.instanceId))
      .setTimeStamp((BigInt(Date.now()) * 10_000n).toString())
      .setState(MemberInfo.VNodeState.LEADER)
      .setIsAlive(true)
      .setHttpEndPoint(new EndPoint().setAddress('127.0.0.1').setPort(this.port));
    callback(null, new ClusterInfo().setMembersList([member]));
  };

  // ---- Appends ------------------------------------------------------------------------------------

  /** EventStoreDB's write path with the injected fault, if any. */
  private async process(request: AppendRequest): Promise<Answer> {
    this.stats.appendRequests += 1;
    if ('invalid' in request.events) return { kind: 'invalid', message: request.events.invalid, exception: request.events.exception };
    const events = request.events;
    const store = () => this.log.append(request.streamName, request.expected, events);
    const fault = this.takeFault(request.streamName);
    const timeoutAt = Math.min(request.deadline, Date.now() + this.writeTimeoutMs);
    if (timeoutAt <= Date.now()) return { kind: 'timeout' };

    switch (fault?.kind) {
      case 'drop-connection':
      case 'unavailable':
        if (fault.at === 'after-store') store();
        if (fault.kind === 'drop-connection') this.dropConnections();
        fault.meanwhile?.();
        return fault.kind === 'unavailable' ? { kind: 'unavailable' } : { kind: 'none' };
      case 'slow':
        if (Date.now() + fault.delayMs <= timeoutAt) {
          await delay(fault.delayMs);
          return { kind: 'outcome', outcome: store() };
        }
        if (fault.store) setTimeout(store, fault.delayMs);
        await delay(timeoutAt - Date.now());
        return { kind: 'timeout' };
      case 'stall':
        await request.gone;
        return { kind: 'none' };
      default:
        return { kind: 'outcome', outcome: store() };
    }
  }

  private readonly append: grpc.handleClientStreamingCall<AppendReq, AppendResp> = (call, callback) => {
    const requests: AppendReq[] = [];
    const gone = callGone(call);
    call.on('data', (request: AppendReq) => requests.push(request));
    call.on('error', () => undefined);
    call.on('end', () => {
      const options = requests[0]?.getOptions();
      if (!options || requests.slice(1).some((request) => !request.hasProposedMessage())) {
        callback(statusError(grpc.status.INVALID_ARGUMENT, 'options first, then proposed messages'));
        return;
      }
      const Case = AppendReq.Options.ExpectedStreamRevisionCase;
      const expected: StandInExpected | undefined = {
        [Case.ANY]: { kind: 'any' as const },
        [Case.NO_STREAM]: { kind: 'no_stream' as const },
        [Case.STREAM_EXISTS]: { kind: 'stream_exists' as const },
        [Case.REVISION]: { kind: 'revision' as const, revision: BigInt(options.getRevision() || '0') },
        [Case.EXPECTED_STREAM_REVISION_NOT_SET]: undefined,
      }[options.getExpectedStreamRevisionCase()];
      if (!expected) {
        callback(statusError(grpc.status.INVALID_ARGUMENT, 'no expected revision'));
        return;
      }
      const deadline = call.getDeadline();
      const streamName = nameOf(options.getStreamIdentifier());
      void this.process({
        streamName,
        expected,
        events: proposedFrom(
          requests.slice(1).map((request) => request.getProposedMessage() as AppendReq.ProposedMessage),
          this.maxAppendSize,
        ),
        deadline: deadline instanceof Date ? deadline.getTime() : deadline,
        gone,
      }).then((answer) => {
        switch (answer.kind) {
          case 'none':
            return;
          case 'timeout':
            return callback(statusError(grpc.status.DEADLINE_EXCEEDED, 'Operation timed out'));
          case 'unavailable':
            return callback(statusError(grpc.status.UNAVAILABLE, 'stand-in: node unavailable'));
          case 'invalid':
            return callback(statusError(grpc.status.INVALID_ARGUMENT, answer.message, answer.exception));
          case 'outcome':
            return callback(null, appendResp(answer.outcome, expected));
        }
      });
    });
  };

  private readonly batchAppend: grpc.handleBidiStreamingCall<BatchAppendReq, BatchAppendResp> = (call) => {
    const pending = new Map<string, { correlationId: UUID; options: BatchAppendReq.Options; messages: BatchAppendReq.ProposedMessage[] }>();
    const gone = callGone(call);
    let inFlight = 0;
    let clientDone = false;
    const endWhenDone = () => {
      if (clientDone && inFlight === 0 && !call.writableEnded) call.end();
    };
    call.on('error', () => undefined);
    call.on('data', (request: BatchAppendReq) => {
      const correlationId = request.getCorrelationId() ?? new UUID();
      const key = correlationId.getString();
      const options = request.getOptions();
      if (options) pending.set(key, { correlationId, options, messages: [] });
      const entry = pending.get(key);
      if (!entry) return;
      entry.messages.push(...request.getProposedMessagesList());
      if (!request.getIsFinal()) return;
      pending.delete(key);
      inFlight += 1;
      const Case = BatchAppendReq.Options.ExpectedStreamPositionCase;
      const expected: StandInExpected = {
        [Case.ANY]: { kind: 'any' as const },
        [Case.NO_STREAM]: { kind: 'no_stream' as const },
        [Case.STREAM_EXISTS]: { kind: 'stream_exists' as const },
        [Case.STREAM_POSITION]: { kind: 'revision' as const, revision: BigInt(entry.options.getStreamPosition() || '0') },
        [Case.EXPECTED_STREAM_POSITION_NOT_SET]: { kind: 'any' as const },
      }[entry.options.getExpectedStreamPositionCase()];
      const streamName = nameOf(entry.options.getStreamIdentifier());
      const deadline = entry.options.getDeadline()?.toDate().getTime() ?? Number.POSITIVE_INFINITY;
      void this.process({ streamName, expected, events: proposedFrom(entry.messages, this.maxAppendSize), deadline, gone })
        .then(async (answer) => {
          if (answer.kind === 'none') return;
          if (answer.kind === 'unavailable') {
            call.emit('error', statusError(grpc.status.UNAVAILABLE, 'stand-in: node unavailable'));
            return;
          }
          const response = new BatchAppendResp().setCorrelationId(entry.correlationId).setStreamIdentifier(identifierOf(streamName));
          if (answer.kind === 'outcome') batchAppendOutcome(response, answer.outcome, expected);
          else if (answer.kind === 'timeout') response.setError(errorStatus(4, 'Timeout', packed(new Timeout(), 'event_store.client.Timeout')));
          else {
            const details = answer.exception?.exception === 'maximum-append-size-exceeded'
              ? packed(new MaximumAppendSizeExceeded().setMaxappendsize(this.maxAppendSize), 'event_store.client.MaximumAppendSizeExceeded')
              : packed(new ProtobufEmpty(), 'google.protobuf.Empty');
            response.setError(errorStatus(3, answer.message, details));
          }
          await send(call, response);
        })
        .finally(() => {
          inFlight -= 1;
          endWhenDone();
        });
    });
    call.on('end', () => {
      clientDone = true;
      endWhenDone();
    });
  };

  // ---- Reads and subscriptions --------------------------------------------------------------------

  private readonly read: grpc.handleServerStreamingCall<ReadReq, ReadResp> = (call) => {
    call.on('error', () => undefined);
    const options = call.request.getOptions();
    if (!options || options.getUuidOption()?.getContentCase() !== ReadReq.Options.UUIDOption.ContentCase.STRING) {
      call.emit('error', statusError(grpc.status.INVALID_ARGUMENT, 'the stand-in answers string UUIDs only'));
      return;
    }
    const filter = filterOf(options);
    const isAll = options.getStreamOptionCase() === ReadReq.Options.StreamOptionCase.ALL;
    if (options.getCountOptionCase() === ReadReq.Options.CountOptionCase.SUBSCRIPTION) {
      if (!isAll) {
        call.emit('error', statusError(grpc.status.UNIMPLEMENTED, 'the stand-in serves subscriptions to $all only'));
        return;
      }
      void this.subscribeToAll(call, options, filter);
      return;
    }
    this.stats.reads += 1;
    const count = BigInt(options.getCount());
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    void (async () => {
      const events = isAll ? this.readAll(options, backwards, filter) : this.readStream(options, backwards);
      if (events === 'not-found') {
        const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(options.getStream()?.getStreamIdentifier());
        await send(call, new ReadResp().setStreamNotFound(notFound));
      } else {
        let sent = 0n;
        for (const event of events) {
          if (sent >= count) break;
          if (!(await send(call, readResp(event)))) return;
          sent += 1n;
        }
      }
      if (!call.writableEnded) call.end();
    })();
  };

  private *readAll(options: ReadReq.Options, backwards: boolean, filter?: (event: StandInEvent) => boolean): Generator<StandInEvent> {
    const from = options.getAll() as ReadReq.Options.AllOptions;
    const Case = ReadReq.Options.AllOptions.AllOptionCase;
    const all = this.log.all;
    const at = (from.getAllOptionCase() === Case.POSITION ? this.log.indexAtOrAfter(BigInt(from.getPosition()?.getCommitPosition() ?? '0')) : undefined);
    if (backwards) {
      // Backwards from a position: the events before it (the position is where the next record starts).
      const start = from.getAllOptionCase() === Case.START ? -1 : (at ?? all.length) - 1;
      for (const event of all.slice(0, start + 1).reverse()) if (!filter || filter(event)) yield event;
    } else {
      const start = from.getAllOptionCase() === Case.END ? all.length : (at ?? 0);
      // Events appended while this read runs are left to the next read, as on a server.
      const end = all.length;
      for (const event of all.slice(start, end)) if (!filter || filter(event)) yield event;
    }
  }

  private readStream(options: ReadReq.Options, backwards: boolean): StandInEvent[] | 'not-found' {
    const stream = options.getStream() as ReadReq.Options.StreamOptions;
    const stored = this.log.stream(nameOf(stream.getStreamIdentifier()));
    if (!stored) return 'not-found';
    const Case = ReadReq.Options.StreamOptions.RevisionOptionCase;
    const revision = stream.getRevisionOptionCase() === Case.REVISION ? BigInt(stream.getRevision()) : undefined;
    if (backwards) {
      const last = BigInt(stored.length - 1);
      const from = stream.getRevisionOptionCase() === Case.START ? 0n : revision !== undefined && revision < last ? revision : last;
      return stored.slice(0, Number(from) + 1).reverse();
    }
    const from = stream.getRevisionOptionCase() === Case.END ? BigInt(stored.length) : (revision ?? 0n);
    return from >= BigInt(stored.length) ? [] : stored.slice(Number(from));
  }

  private async subscribeToAll(
    call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    options: ReadReq.Options,
    filter?: (event: StandInEvent) => boolean,
  ): Promise<void> {
    this.stats.subscriptions += 1;
    this.liveSubscriptions.add(call);
    const stop = new AbortController();
    void callGone(call).then(() => {
      stop.abort();
      this.liveSubscriptions.delete(call);
    });

    const from = options.getAll() as ReadReq.Options.AllOptions;
    const Case = ReadReq.Options.AllOptions.AllOptionCase;
    let cursor = 0;
    if (from.getAllOptionCase() === Case.END) cursor = this.log.all.length;
    if (from.getAllOptionCase() === Case.POSITION) {
      // A subscription starts after the given position: it is the last event the subscriber has.
      const position = BigInt(from.getPosition()?.getCommitPosition() ?? '0');
      cursor = this.log.indexAtOrAfter(position);
      if (this.log.all[cursor]?.position === position) cursor += 1;
    }
    const filterOptions = options.getFilter();
    const window = filterOptions?.getWindowCase() === ReadReq.Options.FilterOptions.WindowCase.MAX ? filterOptions.getMax() : READ_BATCH_SIZE;
    const checkpointEvery = filter ? Math.max(1, window * (filterOptions?.getCheckpointintervalmultiplier() || 1)) : 0;

    if (!(await send(call, new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID()))))) return;
    let considered = 0;
    let caughtUp = false;
    while (!stop.signal.aborted) {
      for (let event = this.log.all[cursor]; event !== undefined; event = this.log.all[cursor]) {
        cursor += 1;
        considered += 1;
        if ((!filter || filter(event)) && !(await send(call, readResp(event)))) return;
        if (checkpointEvery > 0 && considered % checkpointEvery === 0) {
          const position = event.position.toString();
          const checkpoint = new ReadResp.Checkpoint().setCommitPosition(position).setPreparePosition(position);
          if (!(await send(call, new ReadResp().setCheckpoint(checkpoint)))) return;
        }
      }
      if (!caughtUp) {
        caughtUp = true;
        if (!(await send(call, new ReadResp().setCaughtUp(new ReadResp.CaughtUp())))) return;
      }
      await this.log.nextAppend(stop.signal);
    }
  }
}

function errorStatus(code: number, message: string, details: Any): Status {
  return new Status().setCode(code).setMessage(message).setDetails(details);
}

function appendResp(outcome: StandInAppendOutcome, expected: StandInExpected): AppendResp {
  const response = new AppendResp();
  if (outcome.kind === 'success') {
    const success = new AppendResp.Success();
    if (outcome.currentRevision < 0n) success.setNoStream(new Empty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    if (outcome.position < 0n) success.setNoPosition(new Empty());
    else {
      const position = outcome.position.toString();
      success.setPosition(new AppendResp.Position().setCommitPosition(position).setPreparePosition(position));
    }
    return response.setSuccess(success);
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentRevision(outcome.current.toString());
  if (expected.kind === 'any') wrong.setExpectedAny(new Empty());
  if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new Empty());
  if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
  if (expected.kind === 'revision') wrong.setExpectedRevision(expected.revision.toString());
  return response.setWrongExpectedVersion(wrong);
}

function batchAppendOutcome(response: BatchAppendResp, outcome: StandInAppendOutcome, expected: StandInExpected): void {
  if (outcome.kind === 'success') {
    const success = new BatchAppendResp.Success();
    if (outcome.currentRevision < 0n) success.setNoStream(new ProtobufEmpty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    if (outcome.position < 0n) success.setNoPosition(new ProtobufEmpty());
    else {
      const position = outcome.position.toString();
      success.setPosition(new AllStreamPosition().setCommitPosition(position).setPreparePosition(position));
    }
    response.setSuccess(success);
    return;
  }
  const wrong = new WrongExpectedVersion();
  if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new ProtobufEmpty());
  else wrong.setCurrentStreamRevision(outcome.current.toString());
  if (expected.kind === 'any') wrong.setExpectedAny(new ProtobufEmpty());
  if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new ProtobufEmpty());
  if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new ProtobufEmpty());
  if (expected.kind === 'revision') wrong.setExpectedStreamPosition(expected.revision.toString());
  // ALREADY_EXISTS, as EventStoreDB's Status.WrongExpectedVersion.
  response.setError(errorStatus(6, 'WrongExpectedVersion', packed(wrong, 'event_store.client.WrongExpectedVersion')));
}
