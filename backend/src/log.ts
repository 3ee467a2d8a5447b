import pino from 'pino';

/**
 * Structured logs (pino) on stderr, so stdout stays for CLI output.
 * Secrets never reach a log line: SNMP profiles are redacted at their source,
 * the embedded Neo4j's password is not enumerable (see neo4j/credentials.ts),
 * and these paths are censored in case an object carrying one is logged
 * (`credentials` is where a neo4j-driver auth token keeps its password).
 */
export const log = pino(
  {
    level: process.env.LOG_LEVEL ?? 'info',
    redact: {
      paths: [
        'password',
        '*.password',
        'community',
        '*.community',
        'authKey',
        '*.authKey',
        'privKey',
        '*.privKey',
        'credentials',
        '*.credentials',
        'NEO4J_PASSWORD',
        '*.NEO4J_PASSWORD',
      ],
      censor: '[redacted]',
    },
  },
  pino.destination(2),
);
