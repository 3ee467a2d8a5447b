import type { ConsoleMessage } from 'playwright-core';

/** Debian's Chromium, headless, quiet: no background network, no updates, no QUIC. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Where the UI test leaves its picture of the map, to be looked at. */
export const TOPOLOGY_SCREENSHOT = '/tmp/ui-topology.png';

/**
 * Console errors and warnings, as "type: text (url)", leaving out the failed
 * loads a test caused on purpose (Chromium logs every 4xx answer to a fetch);
 * `url` matches as a prefix.
 */
export function consoleProblems(
  messages: readonly ConsoleMessage[],
  expected: ReadonlyArray<{ url: string; status: number }> = [],
): string[] {
  return messages
    .filter((m) => m.type() === 'error' || m.type() === 'warning')
    .filter((m) => !expected.some((x) => m.location().url.startsWith(x.url) && m.text().includes(`status of ${x.status}`)))
    .map((m) => `${m.type()}: ${m.text()} (${m.location().url})`);
}
