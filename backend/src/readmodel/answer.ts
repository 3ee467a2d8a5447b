import { Answer } from '../http/contract';
import type { Snapshot } from './read-model';

/**
 * The answer of a read: the snapshot's bytes as they are, its ETag, and
 * `Cache-Control: no-cache` (a browser may keep it, and asks with
 * If-None-Match each time: 304 while the view is unchanged).
 */
export function snapshotAnswer<T>(snapshot: Snapshot<unknown>): Answer<T> {
  return new Answer(
    200,
    snapshot.body as T,
    { ETag: snapshot.etag, 'Cache-Control': 'no-cache' },
    {
      json: snapshot.bytes,
      gzip: snapshot.gzip,
    },
  );
}
