import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIP } from 'node:net';

/**
 * The UDP socket of one SNMP session, hearing only its agent. net-snmp's session
 * socket is unconnected and matches a reply to its request by request id alone,
 * so any datagram from anywhere that carries a pending id would be taken as the
 * agent's answer. This socket drops every datagram whose source address and port
 * are not the target's before net-snmp sees it (handed to `onStray`).
 *
 * The target's addresses are the ones its host name resolved to when requests
 * were sent (an IP literal is its own), so a host name works too.
 */

/** Where a dropped datagram came from. */
export interface StrayDatagram {
  address: string;
  port: number;
  size: number;
}

/** A replacement for node:dgram as net-snmp's session option `dgramModule` takes it. */
export interface DgramModule {
  createSocket(type: 'udp4' | 'udp6'): dgram.Socket;
}

/** The canonical text of an IP literal (IPv6 compressed, lower case), or the input when not one. */
function canonical(address: string): string {
  if (isIP(address) !== 6) return address;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}

/**
 * @param target the agent: host (IP literal or name) and UDP port
 * @param onStray called for each datagram dropped (not from the agent)
 * @example
 * snmp.createSession(host, community, { port, dgramModule: targetDgram({ host, port }, (r) => log.debug(r, 'stray')) })
 */
export function targetDgram(target: { host: string; port: number }, onStray: (from: StrayDatagram) => void): DgramModule {
  return {
    createSocket(type) {
      const addresses = new Set<string>();
      if (isIP(target.host) !== 0) addresses.add(canonical(target.host));
      const lookup = (
        hostname: string,
        options: dns.LookupOneOptions,
        callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
      ) =>
        dns.lookup(hostname, options, (err, address, family) => {
          if (!err && hostname === target.host) addresses.add(canonical(address));
          callback(err, address, family);
        });
      return new TargetSocket({ type, lookup }, (rinfo) => rinfo.port === target.port && addresses.has(canonical(rinfo.address)), onStray);
    },
  };
}

/** node:dgram's Socket is constructed with its options (createSocket does `new Socket(options)`); @types/node omits that signature. */
const Socket = dgram.Socket as unknown as new (options: dgram.SocketOptions) => dgram.Socket;

class TargetSocket extends Socket {
  readonly #accept: (rinfo: dgram.RemoteInfo) => boolean;
  readonly #onStray: (from: StrayDatagram) => void;

  constructor(options: dgram.SocketOptions, accept: (rinfo: dgram.RemoteInfo) => boolean, onStray: (from: StrayDatagram) => void) {
    super(options);
    this.#accept = accept;
    this.#onStray = onStray;
  }

  // Every 'message' listener (net-snmp's onMsg) is behind this one gate.
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'message') {
      const rinfo = args[1] as dgram.RemoteInfo;
      if (!this.#accept(rinfo)) {
        this.#onStray({ address: rinfo.address, port: rinfo.port, size: rinfo.size });
        return false;
      }
    }
    return super.emit(event, ...args);
  }
}
