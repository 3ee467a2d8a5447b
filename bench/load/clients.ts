import { io as ioClient, type Socket } from 'socket.io-client';

/** What the socket clients received while they all listened. */
export interface SocketFigures {
  clients: number;
  /** Poll cycles written to Neo4j while they all listened (`(:CycleMeta).seq` at the end minus at the start). */
  cyclesWritten: number;
  /** Distinct cycles (`at` of a links event) that reached at least one client. */
  cyclesSeen: number;
  /** Clients that received the links event of every cycle any client received. */
  clientsServedEveryCycle: number;
  eventsMissing: number;
}

/**
 * `count` socket.io clients (websocket, the admin's token), each subscribed to
 * "all", recording the `at` of every links event of a cycle that ended once all
 * of them were subscribed. A cycle missed by every client shows as `cyclesSeen`
 * below `cyclesWritten`.
 */
export async function subscribeClients(
  base: string,
  token: string,
  count: number,
): Promise<{ report(cyclesWritten: number): SocketFigures; close(): void }> {
  // A subscriber is sent the latest cycle at once (after its acknowledgement): cycles up to the
  // latest one any client saw before all were subscribed are not counted.
  let recording = false;
  let before = '';
  const received: Set<string>[] = [];
  const sockets: Socket[] = [];
  // In batches of 50, as dashboards open over a moment rather than in one instant.
  for (let first = 0; first < count; first += 50) {
    const batch: Promise<void>[] = [];
    for (let i = first; i < Math.min(count, first + 50); i++) {
      const seen = new Set<string>();
      received.push(seen);
      const s = ioClient(base, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 120_000 });
      s.on('links', (e: { at: string }) => {
        if (recording) seen.add(e.at);
        else if (e.at > before) before = e.at;
      });
      sockets.push(s);
      batch.push(
        new Promise<void>((resolve, reject) => {
          s.on('connect_error', (e) => reject(new Error(`socket client ${i}: ${e.message}`)));
          s.on('connect', () => s.emit('subscribe', 'all', () => resolve()));
        }),
      );
    }
    await Promise.all(batch);
  }
  recording = true;
  return {
    report(cyclesWritten) {
      const all = new Set(received.flatMap((s) => [...s]).filter((at) => at > before));
      const missing = received.map((seen) => [...all].filter((at) => !seen.has(at)).length);
      return {
        clients: count,
        cyclesWritten,
        cyclesSeen: all.size,
        clientsServedEveryCycle: missing.filter((n) => n === 0).length,
        eventsMissing: missing.reduce((a, b) => a + b, 0),
      };
    },
    close() {
      for (const s of sockets) s.close();
    },
  };
}
