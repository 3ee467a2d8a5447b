import neo4j, { ManagedTransaction, type AuthToken, type Driver, type Session } from 'neo4j-driver';
import { DomainError } from '@extranet/topology';
import { resolveFromRoot, type Config } from '../config';
import { startEmbedded, type EmbeddedNeo4j, type EmbeddedOptions } from './embedded';
import { migrate } from './migrations';

/** Per call: a transaction that may run longer than the configured limit (a bulk import). */
export interface TxOptions {
  /** This transaction's time limit, ms; default NEO4J_TX_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * The one module that owns Neo4j sessions. Everything else passes it a
 * function of a managed transaction; the driver retries transient failures,
 * and a database that cannot be reached becomes STORE_UNAVAILABLE (HTTP 503)
 * within a few seconds instead of a hang. Every transaction has a time limit
 * (NEO4J_TX_TIMEOUT_MS, default 30 s): Neo4j ends one that runs longer — or
 * waits longer for a lock — and it answers 503 STORE_UNAVAILABLE too.
 */
export class Store {
  #driver: Driver;
  #uri: string;
  #embedded: EmbeddedNeo4j | undefined;
  /** How to start the embedded server again (when its owner stopped, or the one this store started died). */
  readonly #rejoin: EmbeddedOptions | undefined;
  #takeover: Promise<void> | undefined;
  /** The embedded server this store started has exited without being asked to. */
  #embeddedDied = false;
  #closed = false;
  /** Default time limit of a transaction, ms. */
  readonly #txTimeoutMs: number;

  private constructor(
    driver: Driver,
    uri: string,
    embedded: EmbeddedNeo4j | undefined,
    rejoin: EmbeddedOptions | undefined,
    txTimeoutMs: number,
  ) {
    this.#driver = driver;
    this.#uri = uri;
    this.#embedded = embedded;
    this.#rejoin = rejoin;
    this.#txTimeoutMs = txTimeoutMs;
    if (embedded) this.#watch(embedded);
  }

  get driver(): Driver {
    return this.#driver;
  }

  /** The Bolt URI in use (it changes when this store takes over an embedded server whose owner stopped). Not for API answers. */
  get uri(): string {
    return this.#uri;
  }

  /** The default time limit of a transaction, ms (NEO4J_TX_TIMEOUT_MS). */
  get txTimeoutMs(): number {
    return this.#txTimeoutMs;
  }

  /** `embedded`: the server this product starts (or joined); `external`: NEO4J_URI. */
  get mode(): 'embedded' | 'external' {
    return this.#embedded ? 'embedded' : 'external';
  }

  /**
   * Connects to NEO4J_URI, or starts/joins the embedded server, then runs the migrations.
   * `waitSeconds`: a NEO4J_URI server not up yet is waited for that long (a line on `progress`
   * every few seconds says so), then its error is thrown; default 0 (fail at once, as a CLI command does).
   */
  static async open(config: Config, progress?: (line: string) => void, opts: { waitSeconds?: number } = {}): Promise<Store> {
    let embedded: EmbeddedNeo4j | undefined;
    let embeddedOptions: EmbeddedOptions | undefined;
    let uri = config.NEO4J_URI;
    if (!uri) {
      embeddedOptions = {
        dataDir: resolveFromRoot(config.NEO4J_DATA_DIR),
        pageCache: config.NEO4J_PAGECACHE,
        heap: config.NEO4J_HEAP,
        ...(progress && { progress }),
      };
      embedded = await startEmbedded(embeddedOptions);
      uri = embedded.uri;
    }
    const auth = embedded
      ? embeddedAuth(embedded)
      : config.NEO4J_PASSWORD !== undefined
        ? neo4j.auth.basic(config.NEO4J_USER, config.NEO4J_PASSWORD)
        : undefined;
    const store = new Store(connect(uri, auth), uri, embedded, embeddedOptions, config.NEO4J_TX_TIMEOUT_MS);
    try {
      // An embedded server just said it is ready: on a busy machine its first connection can still take a while.
      await store.#waitUntilUp(opts.waitSeconds ?? (embedded ? 30 : 0), progress);
      await migrate(store);
    } catch (e) {
      await store.close();
      throw e;
    }
    return store;
  }

  private session(mode: 'READ' | 'WRITE'): Session {
    return this.driver.session({ defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE });
  }

  /** Runs `work` in a read transaction (retried on transient errors), within its time limit. */
  read<T>(work: (tx: ManagedTransaction) => Promise<T>, opts: TxOptions = {}): Promise<T> {
    return this.#run('READ', work, opts);
  }

  /** Runs `work` in one write transaction, within its time limit: all of it commits, or none of it. */
  write<T>(work: (tx: ManagedTransaction) => Promise<T>, opts: TxOptions = {}): Promise<T> {
    return this.#run('WRITE', work, opts);
  }

  /**
   * One transaction, retried here rather than by the driver: a transient failure (a deadlock, a
   * leader switch) again after a short back-off, for up to {@link RETRY_MS}; a dead connection once
   * at once (a pooled connection from before a Neo4j restart), then STORE_UNAVAILABLE — so while
   * Neo4j is away a request answers 503 within the connection timeout instead of after the
   * driver's retries, and the first request after it is back goes through.
   */
  async #run<T>(mode: 'READ' | 'WRITE', work: (tx: ManagedTransaction) => Promise<T>, opts: TxOptions): Promise<T> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const s = this.session(mode);
      try {
        const tx = await s.beginTransaction({ timeout: opts.timeoutMs ?? this.#txTimeoutMs });
        try {
          const result = await work(ManagedTransaction.fromTransaction(tx));
          await tx.commit();
          return result;
        } finally {
          if (tx.isOpen()) await tx.rollback().catch(() => {});
        }
      } catch (e) {
        const again = isConnectionLoss(e) ? attempt === 0 : neo4j.isRetryableError(e) && !isTimeout(e) && Date.now() - started < RETRY_MS;
        if (!again) throw this.#unavailable(e);
        if (!isConnectionLoss(e)) await sleep(Math.min(1_000, 25 * 2 ** attempt) * (0.8 + Math.random() * 0.4));
      } finally {
        await s.close().catch(() => {});
      }
    }
  }

  /** Waits for the database to answer (a server started at the same time, a container still booting). */
  async #waitUntilUp(waitSeconds: number, progress: ((line: string) => void) | undefined): Promise<void> {
    const started = Date.now();
    let said = -Infinity;
    for (;;) {
      try {
        await this.write((tx) => tx.run('RETURN 1'));
        if (said > -Infinity) progress?.(`neo4j: ${this.#uri} is up after ${((Date.now() - started) / 1000).toFixed(0)} s`);
        return;
      } catch (e) {
        const waited = Date.now() - started;
        const unreachable = e instanceof DomainError && e.code === 'STORE_UNAVAILABLE' && e.message.startsWith('Neo4j is unreachable');
        if (!unreachable || waited >= waitSeconds * 1000) throw e;
        if (Date.now() - said >= 10_000) {
          said = Date.now();
          progress?.(
            `neo4j: waiting for Neo4j at ${this.#uri} — not reachable yet (${(e as Error).message.split('\n')[0]}); ` +
              `retrying every 2 s for up to ${waitSeconds} s (NEO4J_WAIT_SECONDS)`,
          );
        }
        await sleep(2_000);
      }
    }
  }

  /** True when the database answers a trivial query. */
  async ping(): Promise<boolean> {
    try {
      await this.read((tx) => tx.run('RETURN 1'));
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#takeover?.catch(() => {});
    await this.#driver.close().catch(() => {});
    await this.#embedded?.stop();
  }

  /**
   * Maps a failure; when it says the database is gone and this store had joined
   * an embedded server another process owns (that process stopped, and its
   * Neo4j with it), or the embedded server this store started has died, starts
   * taking the server over in the background — starting it on the same data,
   * or joining whichever process got there first — so the next requests work
   * again. The failing request itself answers 503 at once. Refused credentials
   * are not a stopped server: they answer 503 with their own hint.
   */
  #unavailable(e: unknown): unknown {
    const mapped = mapStoreError(e);
    if (
      mapped instanceof DomainError &&
      mapped.code === 'STORE_UNAVAILABLE' &&
      !isRefusal(e) &&
      !isTimeout(e) &&
      this.#rejoin &&
      !this.#closed &&
      (!this.#embedded?.owned || this.#embeddedDied)
    ) {
      this.#restart();
      return new DomainError('STORE_UNAVAILABLE', mapped.message, {
        hint: this.#embeddedDied
          ? 'the embedded Neo4j stopped; this process is starting it again on the same data — retry in a few seconds'
          : 'the process that ran the embedded Neo4j stopped; this one is starting it again — retry in a few seconds',
      });
    }
    if (mapped instanceof DomainError && mapped.code === 'STORE_UNAVAILABLE' && this.#embedded?.owned && isConnectionLoss(e)) {
      // Seen before the server's exit is: the watcher restarts it if its process died.
      return new DomainError('STORE_UNAVAILABLE', mapped.message, {
        hint: 'the embedded Neo4j this process started is not answering; if its Java process stopped, it is started again on the same data — retry in a few seconds',
      });
    }
    return mapped;
  }

  #restart(): void {
    this.#takeover ??= this.#takeOver().finally(() => (this.#takeover = undefined));
  }

  /** An embedded server this store started that dies (killed, out of memory) is started again at once, on the same data. */
  #watch(embedded: EmbeddedNeo4j): void {
    void embedded.died.then((how) => {
      if (this.#closed || this.#embedded !== embedded) return;
      this.#embeddedDied = true;
      (this.#rejoin?.progress ?? ((l: string) => process.stderr.write(`${l}\n`)))(
        `neo4j: the embedded Neo4j at ${embedded.uri} ${how}; starting it again on the same data`,
      );
      this.#restart();
    });
  }

  async #takeOver(): Promise<void> {
    const rejoin = this.#rejoin!;
    try {
      const embedded = await startEmbedded(rejoin);
      if (this.#closed) return void (await embedded.stop());
      if (embedded.uri === this.#uri) return; // the owner is still there (a passing failure): keep the driver
      const old = this.#driver;
      this.#driver = connect(embedded.uri, embeddedAuth(embedded));
      this.#uri = embedded.uri;
      this.#embedded = embedded;
      this.#embeddedDied = false;
      this.#watch(embedded);
      await old.close().catch(() => {});
      (rejoin.progress ?? (() => {}))(`neo4j: ${embedded.owned ? 'took over' : 'rejoined'} the embedded Neo4j at ${embedded.uri}`);
    } catch (e) {
      // Another joiner is starting it at the same moment (the store lock), or Java failed: the next failure tries again.
      (rejoin.progress ?? (() => {}))(`neo4j: could not restart the embedded Neo4j yet: ${(e as Error).message.split('\n')[0]}`);
    }
  }
}

/** The embedded server's user and password (from its password file). */
function embeddedAuth(embedded: EmbeddedNeo4j): AuthToken {
  return neo4j.auth.basic(embedded.credentials.user, embedded.credentials.password);
}

/** How long a transaction is retried on transient failures (deadlocks, a cluster's leader switch), ms. */
const RETRY_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A driver with the project's settings: numbers as JS numbers, and a database that is away
 * noticed within 1.5 s (a refused connection at once; one that does not answer after
 * `connectionTimeout`; a pool that stays exhausted after `connectionAcquisitionTimeout`), so the
 * API answers 503 within 2 s. The Store retries, not the driver.
 */
function connect(uri: string, auth: AuthToken | undefined): Driver {
  return neo4j.driver(uri, auth, {
    connectionTimeout: 1_500,
    connectionAcquisitionTimeout: 1_500,
    maxTransactionRetryTime: 0,
    disableLosslessIntegers: true,
    logging: { level: 'error', logger: () => {} },
  });
}

const unavailableCodes = new Set(['ServiceUnavailable', 'SessionExpired']);
const refusedCodes = new Set(['Neo.ClientError.Security.Unauthorized', 'Neo.ClientError.Security.AuthenticationRateLimit']);
/** The connection is gone (Neo4j stopped, restarted, or the network between dropped it). */
const isConnectionLoss = (e: unknown) =>
  unavailableCodes.has((e as { code?: string } | null)?.code ?? '') ||
  /acquisition timed out|Connection was closed|ECONNREFUSED|ECONNRESET|Failed to connect/i.test((e as Error | null)?.message ?? '');
const isRefusal = (e: unknown) => refusedCodes.has((e as { code?: string } | null)?.code ?? '');
/**
 * Neo4j ended the transaction: past its time limit (`TransactionTimedOut…`), or while it waited for
 * a lock (`LockClientStopped`: also when an administrator terminated it), or `Terminated`.
 * The driver does not retry these.
 */
const timeoutCodes = /^Neo\.ClientError\.Transaction\.(TransactionTimedOut\w*|LockClientStopped|Terminated)$/;
const isTimeout = (e: unknown) => timeoutCodes.test((e as { code?: string } | null)?.code ?? '');

/**
 * Connection failures become STORE_UNAVAILABLE; domain errors and query bugs pass through.
 * The driver's messages carry no credentials (tests/neo4j-auth.test.ts checks the refusal's).
 */
export function mapStoreError(e: unknown): unknown {
  if (e instanceof DomainError) return e;
  const code = (e as { code?: string }).code;
  const msg = (e as Error).message ?? '';
  if (isRefusal(e)) {
    return new DomainError('STORE_UNAVAILABLE', `Neo4j refused the credentials: ${msg.split('\n')[0]}`, {
      hint: 'with NEO4J_URI, check NEO4J_USER and NEO4J_PASSWORD; with the embedded Neo4j, the password is in auth.json in NEO4J_DATA_DIR',
    });
  }
  if (isTimeout(e)) {
    return new DomainError('STORE_UNAVAILABLE', 'Neo4j ended the transaction: it ran, or waited for a lock, past its time limit', {
      hint: 'nothing was written; retry in a moment (another change may hold the same prefixes); a limit too short for this database is raised with NEO4J_TX_TIMEOUT_MS',
    });
  }
  if ((code && unavailableCodes.has(code)) || /acquisition timed out|Connection was closed|ECONNREFUSED|Failed to connect/i.test(msg)) {
    return new DomainError('STORE_UNAVAILABLE', `Neo4j is unreachable: ${msg.split('\n')[0]}`, {
      hint: 'check that Neo4j is running and NEO4J_URI points at it',
    });
  }
  return e;
}
