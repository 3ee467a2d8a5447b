import neo4j, { type Driver, type ManagedTransaction, type Session } from 'neo4j-driver';
import { DomainError } from '@extranet/topology';
import { resolveFromRoot, type Config } from '../config';
import { startEmbedded, type EmbeddedNeo4j } from './embedded';
import { migrate } from './migrations';

/**
 * The one module that owns Neo4j sessions. Everything else passes it a
 * function of a managed transaction; the driver retries transient failures,
 * and a database that cannot be reached becomes STORE_UNAVAILABLE (HTTP 503)
 * within a few seconds instead of a hang.
 */
export class Store {
  private constructor(
    readonly driver: Driver,
    readonly uri: string,
    private readonly embedded: EmbeddedNeo4j | undefined,
  ) {}

  /** Connects to NEO4J_URI, or starts/joins the embedded server, then runs the migrations. */
  static async open(config: Config, progress?: (line: string) => void): Promise<Store> {
    let embedded: EmbeddedNeo4j | undefined;
    let uri = config.NEO4J_URI;
    if (!uri) {
      embedded = await startEmbedded({
        dataDir: resolveFromRoot(config.NEO4J_DATA_DIR),
        pageCache: config.NEO4J_PAGECACHE,
        heap: config.NEO4J_HEAP,
        ...(progress && { progress }),
      });
      uri = embedded.uri;
    }
    const auth =
      config.NEO4J_URI && config.NEO4J_PASSWORD !== undefined
        ? neo4j.auth.basic(config.NEO4J_USER, config.NEO4J_PASSWORD)
        : undefined;
    const driver = neo4j.driver(uri, auth, {
      connectionTimeout: 3_000,
      connectionAcquisitionTimeout: 5_000,
      maxTransactionRetryTime: 5_000,
      disableLosslessIntegers: true,
      logging: { level: 'error', logger: () => {} },
    });
    const store = new Store(driver, uri, embedded);
    try {
      await store.write((tx) => tx.run('RETURN 1'));
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

  /** Runs `work` in a read transaction (retried on transient errors). */
  async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const s = this.session('READ');
    try {
      return await s.executeRead(work);
    } catch (e) {
      throw mapStoreError(e);
    } finally {
      await s.close();
    }
  }

  /** Runs `work` in one write transaction: all of it commits, or none of it. */
  async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const s = this.session('WRITE');
    try {
      return await s.executeWrite(work);
    } catch (e) {
      throw mapStoreError(e);
    } finally {
      await s.close();
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
    await this.driver.close().catch(() => {});
    await this.embedded?.stop();
  }
}

const unavailableCodes = new Set(['ServiceUnavailable', 'SessionExpired', 'Neo.ClientError.Security.Unauthorized']);

/** Connection failures become STORE_UNAVAILABLE; domain errors and query bugs pass through. */
export function mapStoreError(e: unknown): unknown {
  if (e instanceof DomainError) return e;
  const code = (e as { code?: string }).code;
  const msg = (e as Error).message ?? '';
  if ((code && unavailableCodes.has(code)) || /acquisition timed out|Connection was closed|ECONNREFUSED|Failed to connect/i.test(msg)) {
    return new DomainError('STORE_UNAVAILABLE', `Neo4j is unreachable: ${msg.split('\n')[0]}`, {
      hint: 'check that Neo4j is running and NEO4J_URI points at it',
    });
  }
  return e;
}
