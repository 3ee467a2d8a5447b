import dgram from 'node:dgram';
import snmp from 'net-snmp';
import type { Logger } from 'pino';
import type { SnmpProfile } from '../snmp/profiles';
import { usmUser } from '../snmp/usm';
import { LabError } from './faults';
import type { SimRouter } from './router';
import { serveRouter } from './router-mib';
import { usmReport } from './usm-report';

/**
 * A real SNMP agent (net-snmp's `createAgent`) serving one {@link SimRouter}
 * (the MIB itself: router-mib.ts). Values are refreshed from the model before
 * each request is answered, so every read sees the lab clock's now.
 * Around net-snmp's agent sit two small hooks: a datagram gate (drops requests
 * while the `timeout` fault is on; answers USM failures with the RFC 3414
 * report, see usm-report.ts) and the request dispatch (refresh; optional GETBULK drop).
 */

/** What an agent saw, for tests and the lab's status output. */
export interface AgentStats {
  /** Datagrams received. */
  received: number;
  /** Requests dropped on purpose (timeout fault, broken bulk). */
  dropped: number;
  /** Responses sent. */
  answered: number;
  /** USM reports sent for wrong digests / decryption errors. */
  reports: number;
  get: number;
  getNext: number;
  getBulk: number;
}

export interface LabAgent {
  /** The UDP port bound (the asked one, or the ephemeral one for port 0). */
  readonly port: number;
  stats(): AgentStats;
  close(): Promise<void>;
}

export interface LabAgentOptions {
  host: string;
  /** 0 = any free port. */
  port: number;
  /** Every v2c community and v3 user of these profiles is accepted. */
  profiles: readonly SnmpProfile[];
  clock: () => number;
  /** USM engine ID, hex (distinct per agent: duplicated engine IDs confuse managers). */
  engineID: string;
  /** Never answer GETBULK (like agents that time out on bulk, collectd#2495). */
  brokenBulk?: boolean;
  /** Serve no Counter64 columns and no ifHighSpeed (an old agent: 32-bit counters only). */
  counter32Only?: boolean;
  log?: Logger;
}

/**
 * Starts the agent and resolves once its socket is bound.
 * @throws LabError `PORT_IN_USE` when the port cannot be bound
 */
export async function startLabAgent(router: SimRouter, options: LabAgentOptions): Promise<LabAgent> {
  const stats: AgentStats = { received: 0, dropped: 0, answered: 0, reports: 0, get: 0, getNext: 0, getBulk: 0 };
  const usmCounts = { wrongDigests: 0, decryptionErrors: 0 };
  let inFlight: { socket: dgram.Socket; buffer: Buffer; rinfo: dgram.RemoteInfo } | null = null;
  let socket: dgram.Socket | undefined;

  // The gate: sees each datagram before net-snmp does, and is the place a USM report can be sent from.
  const dgramModule = {
    createSocket(type: 'udp4' | 'udp6'): dgram.Socket {
      const s = dgram.createSocket(type);
      const on = s.on.bind(s) as (event: string, listener: (...args: never[]) => void) => dgram.Socket;
      s.on = ((event: string, listener: (buffer: Buffer, rinfo: dgram.RemoteInfo) => void) => {
        if (event !== 'message') return on(event, listener);
        return on('message', (buffer: Buffer, rinfo: dgram.RemoteInfo) => {
          stats.received++;
          if (router.silent) {
            stats.dropped++;
            return;
          }
          const deliver = () => {
            inFlight = { socket: s, buffer, rinfo };
            try {
              listener(buffer, rinfo);
            } catch (e) {
              options.log?.error({ err: e, device: router.hostname }, 'lab agent failed on a request');
            } finally {
              inFlight = null;
            }
          };
          // slow-reply: the request is held, then read (values of the moment it is answered).
          const delay = router.slowReply?.() ?? 0;
          if (delay > 0) setTimeout(deliver, delay).unref();
          else deliver();
        });
      }) as typeof s.on;
      // net-snmp turns port 0 into 161 (`port || 161`); bind the asked port, 0 included.
      const bind = s.bind.bind(s) as (port: number, address?: string) => dgram.Socket;
      s.bind = ((_port: number, address?: string) => bind(options.port, address)) as typeof s.bind;
      socket = s;
      return s;
    },
  };

  const onAgentEvent: snmp.AgentCallback = (error) => {
    if (error === null) {
      stats.answered++;
      return;
    }
    const stat: 'wrongDigests' | 'decryptionErrors' | undefined =
      error.code === snmp.ResponseInvalidCode.EAuthFailure
        ? 'wrongDigests'
        : error.code === snmp.ResponseInvalidCode.ECouldNotDecrypt
          ? 'decryptionErrors'
          : undefined;
    if (stat !== undefined && inFlight !== null) {
      const report = usmReport(inFlight.buffer, agent.engine, stat, ++usmCounts[stat]);
      if (report !== null) {
        stats.reports++;
        inFlight.socket.send(report, inFlight.rinfo.port, inFlight.rinfo.address);
      }
      return;
    }
    options.log?.debug({ device: router.hostname, err: error.message }, 'lab agent rejected a message');
  };

  const agent = snmp.createAgent({ address: options.host, port: options.port, engineID: options.engineID, dgramModule }, onAgentEvent);
  // Credentials and MIB are in place before the socket can deliver anything.
  for (const p of options.profiles) {
    if (p.version === '2c') agent.getAuthorizer().addCommunity(p.community);
    else agent.getAuthorizer().addUser(usmUser(p));
  }

  const refresh = serveRouter(agent.getMib(), router, options.clock, { counter32Only: options.counter32Only ?? false });
  const wrap = (name: 'getRequest' | 'getNextRequest' | 'getBulkRequest', count: 'get' | 'getNext' | 'getBulk') => {
    const original = agent[name].bind(agent);
    agent[name] = (sock, message, rinfo) => {
      stats[count]++;
      if (count === 'getBulk' && options.brokenBulk) {
        stats.dropped++;
        return;
      }
      refresh();
      original(sock, message, rinfo);
    };
  };
  wrap('getRequest', 'get');
  wrap('getNextRequest', 'getNext');
  wrap('getBulkRequest', 'getBulk');

  const bound = socket;
  if (bound === undefined) throw new Error('net-snmp agent created no socket');
  await new Promise<void>((resolve, reject) => {
    bound.once('listening', resolve);
    bound.once('error', (e: NodeJS.ErrnoException) => {
      try {
        bound.close();
      } catch {
        // never bound: nothing to close
      }
      if (e.code === 'EMFILE' || e.code === 'ENFILE') reject(new LabError('TOO_MANY_AGENTS', `cannot open another socket (${e.code})`));
      else reject(new LabError('PORT_IN_USE', `cannot listen on ${options.host}:${options.port} (${e.code}); choose another basePort`));
    });
  });

  const port = bound.address().port;
  return {
    port,
    stats: () => ({ ...stats }),
    close: () => new Promise<void>((resolve) => agent.close(() => resolve())),
  };
}
