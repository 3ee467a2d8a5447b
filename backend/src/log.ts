import pino from 'pino';

/**
 * Structured logs (pino) on stderr, so stdout stays for CLI output.
 * Secrets never reach a log line: SNMP profiles are redacted at their source,
 * and these paths are censored in case an object carrying one is logged.
 */
export const log = pino(
  {
    level: process.env.LOG_LEVEL ?? 'info',
    redact: {
      paths: ['password', '*.password', 'community', '*.community', 'authKey', '*.authKey', 'privKey', '*.privKey'],
      censor: '[redacted]',
    },
  },
  pino.destination(2),
);
