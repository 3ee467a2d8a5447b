/**
 * Minimal type declarations for `net-snmp` 3.x (no `@types/net-snmp` exists).
 * Only what `backend/src/snmp` and `backend/src/lab` use is declared; anything
 * else stays untyped on purpose, so a new use has to be declared (and read in
 * the library's index.js) first. Kept in step with net-snmp 3.29.
 */
declare module 'net-snmp' {
  namespace snmp {
    /** A varbind as net-snmp hands it over: the value's JS type depends on `type`. */
    interface VarBind {
      oid: string;
      type: number;
      /** Integer/Counter/Gauge/TimeTicks: number; Counter64: a 1–9 byte BER Buffer; OctetString: Buffer; OID/IpAddress: string. */
      value: unknown;
    }

    type ResponseCallback<T> = (error: Error | null, result: T) => void;

    interface SessionOptions {
      port?: number;
      retries?: number;
      /** Per attempt, in ms. */
      timeout?: number;
      backoff?: number;
      transport?: 'udp4' | 'udp6';
      version?: number;
      idBitsSize?: 16 | 32;
      context?: string;
      backwardsGetNexts?: boolean;
      reportOidMismatchErrors?: boolean;
      /** Replaces node:dgram; must provide createSocket(). */
      dgramModule?: { createSocket(type: 'udp4' | 'udp6'): import('node:dgram').Socket };
    }

    interface User {
      name: string;
      level: number;
      authProtocol?: number;
      authKey?: string;
      privProtocol?: number;
      privKey?: string;
    }

    interface Session {
      get(oids: string[], cb: ResponseCallback<VarBind[]>): Session;
      getNext(oids: string[], cb: ResponseCallback<VarBind[]>): Session;
      /** With nonRepeaters = 0 the result holds, per requested OID, the array of its repetitions. */
      /** Non-repeaters come back as single varbinds, repeaters as arrays. */
      getBulk(oids: string[], nonRepeaters: number, maxRepetitions: number, cb: ResponseCallback<Array<VarBind[] | VarBind>>): Session;
      close(): Session;
      on(event: 'error', listener: (error: Error) => void): Session;
      on(event: 'close', listener: () => void): Session;
    }

    interface ScalarProvider {
      name: string;
      type: number;
      oid: string;
      scalarType: number;
      maxAccess: number;
    }

    interface TableColumn {
      number: number;
      name: string;
      type: number;
      maxAccess: number;
    }

    interface TableProvider {
      name: string;
      type: number;
      /** The *Entry* OID (…table.1), never the table OID. */
      oid: string;
      maxAccess: number;
      tableColumns: TableColumn[];
      tableIndex?: { columnName: string }[];
      tableAugments?: string;
    }

    interface MibNode {
      oid: string;
      value: unknown;
    }

    interface Mib {
      registerProvider(provider: ScalarProvider | TableProvider): void;
      setScalarValue(name: string, value: unknown): void;
      /** For an augmenting table the row starts with the augmented table's index values. */
      addTableRow(table: string, row: unknown[]): void;
      deleteTableRow(table: string, rowIndex: unknown[]): void;
      lookup(oid: string): MibNode | null;
    }

    interface Authorizer {
      addCommunity(community: string): void;
      addUser(user: User): void;
    }

    interface AgentOptions {
      port?: number;
      address?: string | null;
      transport?: 'udp4' | 'udp6';
      /** Hex string; generated at random when absent. */
      engineID?: string;
      disableAuthorization?: boolean;
      /** Replaces node:dgram; must provide createSocket(). */
      dgramModule?: { createSocket(type: 'udp4' | 'udp6'): import('node:dgram').Socket };
    }

    /** Request dispatch of an agent, called per decoded request; instance-overridable (the lab wraps them). */
    type AgentDispatch = (socket: unknown, message: unknown, rinfo: unknown) => void;

    interface Agent {
      getMib(): Mib;
      getAuthorizer(): Authorizer;
      close(callback?: () => void): void;
      /** The agent's USM engine (engineBoots/engineTime are fixed at 0/10 by net-snmp). */
      engine: { engineID: Buffer; engineBoots: number; engineTime: number };
      getRequest: AgentDispatch;
      getNextRequest: AgentDispatch;
      getBulkRequest: AgentDispatch;
    }

    type AgentCallback = (error: (Error & { code?: number; rinfo?: unknown }) | null, data?: unknown) => void;

    function createSession(target: string, community: string, options: SessionOptions): Session;
    function createV3Session(target: string, user: User, options: SessionOptions): Session;
    function createAgent(options: AgentOptions, callback: AgentCallback): Agent;
    function isVarbindError(varbind: VarBind): boolean;

    const Version2c: number;
    const Version3: number;
    const ObjectType: Record<
      | 'Integer'
      | 'OctetString'
      | 'OID'
      | 'IpAddress'
      | 'Counter'
      | 'Gauge'
      | 'TimeTicks'
      | 'Opaque'
      | 'Counter64'
      | 'Null'
      | 'NoSuchObject'
      | 'NoSuchInstance'
      | 'EndOfMibView',
      number
    >;
    const ErrorStatus: Record<'NoError' | 'TooBig' | 'NoSuchName' | 'GeneralError' | 'AuthorizationError', number>;
    const SecurityLevel: { noAuthNoPriv: number; authNoPriv: number; authPriv: number };
    const AuthProtocols: Record<'none' | 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512', number>;
    const PrivProtocols: Record<'none' | 'des' | 'aes' | 'aes256b' | 'aes256r', number>;
    const MibProviderType: { Scalar: number; Table: number };
    const MaxAccess: Record<'not-accessible' | 'read-only', number>;
    const ResponseInvalidCode: Record<'EAuthFailure' | 'ECouldNotDecrypt' | 'ENotInTimeWindow' | 'EUnexpectedReport', number>;

    class ResponseInvalidError extends Error {
      code: number;
    }
    class RequestFailedError extends Error {
      status: number;
    }
    class RequestTimedOutError extends Error {}
  }
  export = snmp;
}
