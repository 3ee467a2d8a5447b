import { DomainError } from '@extranet/topology';
import { describe, expect, it } from 'vitest';
import { mapStoreError } from './store';

const neo4jError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('mapStoreError', () => {
  it.each([
    [
      'refused credentials',
      neo4jError('Neo.ClientError.Security.Unauthorized', 'The client is unauthorized due to authentication failure.'),
      /^Neo4j refused the credentials: The client is unauthorized/,
      /NEO4J_PASSWORD.*auth\.json/,
    ],
    [
      'too many failed logins',
      neo4jError(
        'Neo.ClientError.Security.AuthenticationRateLimit',
        'The client has provided incorrect authentication details too many times in a row.',
      ),
      /^Neo4j refused the credentials/,
      /auth\.json/,
    ],
    [
      'a server that is away',
      neo4jError('ServiceUnavailable', 'Failed to connect to server.\nmore'),
      /^Neo4j is unreachable: Failed to connect to server\.$/,
      /NEO4J_URI points at it/,
    ],
    ['a refused connection', new Error('connect ECONNREFUSED 127.0.0.1:7687'), /^Neo4j is unreachable/, /is running/],
  ])('%s becomes STORE_UNAVAILABLE with a hint for it', (_name, error, message, hint) => {
    const mapped = mapStoreError(error) as DomainError;
    expect(mapped).toBeInstanceOf(DomainError);
    expect(mapped.code).toBe('STORE_UNAVAILABLE');
    expect(mapped.message).toMatch(message);
    expect(mapped.hint).toMatch(hint);
  });

  it('passes domain errors and query mistakes through unchanged', () => {
    const domain = new DomainError('NOT_FOUND', 'no such site');
    const syntax = neo4jError('Neo.ClientError.Statement.SyntaxError', 'Invalid input');
    expect(mapStoreError(domain)).toBe(domain);
    expect(mapStoreError(syntax)).toBe(syntax);
  });
});
