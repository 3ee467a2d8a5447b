import type { AlertDestination } from '@extranet/topology';

/**
 * Sends with retries and exponential back-off (base, 2×base, 4×base, … at most
 * 5 minutes), in the background, and keeps each destination's status for the
 * API. A send that still fails after its last attempt is counted and logged,
 * never thrown: a dead webhook must not stop the evaluation.
 */
export interface DeliveryStatus {
  sent: number;
  failed: number;
  retrying: number;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastError: string | null;
}

export interface DeliveryOptions {
  attempts: number;
  baseMs: number;
  clock: () => number;
  sleep?: (ms: number) => Promise<void>;
  onGiveUp?: (destination: AlertDestination, error: string) => void;
}

const MAX_BACKOFF_MS = 300_000;

export class Delivery {
  readonly status = new Map<AlertDestination, DeliveryStatus>();
  readonly #pending = new Set<Promise<void>>();
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: DeliveryOptions) {
    this.#sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms).unref()));
  }

  statusOf(d: AlertDestination): DeliveryStatus {
    let s = this.status.get(d);
    if (!s) this.status.set(d, (s = { sent: 0, failed: 0, retrying: 0, lastSuccessAt: null, lastFailureAt: null, lastError: null }));
    return s;
  }

  /** Starts sending in the background; `idle()` waits for every send to end. */
  send(destination: AlertDestination, attempt: () => Promise<void>): void {
    const p = this.#run(destination, attempt).finally(() => this.#pending.delete(p));
    this.#pending.add(p);
  }

  async idle(): Promise<void> {
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }

  async #run(destination: AlertDestination, attempt: () => Promise<void>): Promise<void> {
    const s = this.statusOf(destination);
    for (let i = 1; ; i++) {
      try {
        await attempt();
        s.sent++;
        s.lastSuccessAt = this.opts.clock();
        return;
      } catch (e) {
        s.lastFailureAt = this.opts.clock();
        s.lastError = (e as Error).message;
        if (i >= this.opts.attempts) {
          s.failed++;
          this.opts.onGiveUp?.(destination, s.lastError);
          return;
        }
        s.retrying++;
        await this.#sleep(Math.min(this.opts.baseMs * 2 ** (i - 1), MAX_BACKOFF_MS));
        s.retrying--;
      }
    }
  }
}

/** POSTs JSON; a non-2xx answer is an error carrying the status and the start of the body. */
export async function postJson(url: string, body: unknown, timeoutMs = 10_000): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${new URL(url).host}: ${text.slice(0, 200)}`);
  // Robots answer 200 with an error code in the body (企业微信/钉钉: {"errcode": 0} is success).
  if (/^\s*\{/.test(text)) {
    const j = JSON.parse(text) as { errcode?: number; errmsg?: string };
    if (typeof j.errcode === 'number' && j.errcode !== 0) throw new Error(`errcode ${j.errcode}: ${j.errmsg ?? ''}`);
  }
}
