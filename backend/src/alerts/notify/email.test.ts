import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAlert, parseAlertRules, type AlertRecord } from '@extranet/topology';
import { loadAlertConfig } from '../config';
import { smtpSender } from './email';
import { Notifier } from './notifier';

/** E-mail through nodemailer to a local SMTP receiver (smtp-server) on loopback. */
const received: Array<{ from: string; to: string[]; data: string }> = [];
let server: SMTPServer;
let port: number;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString()));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const T = Date.parse('2025-03-04T02:00:00Z');
const alert: AlertRecord = {
  key: 'link-down|link:L-4413-441303',
  rule: 'link-down',
  kind: 'link-down',
  severity: 'critical',
  subject: { kind: 'link', id: 'L-4413-441303' },
  state: 'firing',
  since: T,
  firedAt: T,
  updatedAt: T,
  cutOff: ['441303', '441303101'],
  degraded: [],
  suppressedBy: [],
  flapping: false,
  labels: { alertname: 'link-down', severity: 'critical', link: 'L-4413-441303' },
};

describe('e-mail notifications', () => {
  it('one mail when an alert fires and one when it resolves; a suppressed alert sends none', async () => {
    const url = `smtp://127.0.0.1:${port}`;
    const config = loadAlertConfig({ SMTP_URL: url, ALERT_EMAIL_TO: 'noc@example.gov.cn, duty@example.gov.cn', ALERT_RETRY_BASE_MS: '10' });
    const names: Record<string, string> = { '441303': '惠阳区', '441303101': '沙田镇' };
    const siteName = (c: string) => names[c] ?? c;
    const n = new Notifier(config, {
      clock: () => T,
      log: pino({ level: 'silent' }),
      siteName,
      describe: (a) => describeAlert(a, siteName),
      sendMail: smtpSender(url),
    });
    const parsed = parseAlertRules({ destinations: ['email'], rules: [{ name: 'link-down', kind: 'link-down' }] });
    if (!parsed.ok) throw new Error('rules');
    const suppressed = { ...alert, key: 'link-down|link:L-x', suppressedBy: ['link:L-4413-441303'] };
    n.afterEvaluation([alert, suppressed], [], [], parsed.rules);
    n.afterEvaluation([alert, suppressed], [], [], parsed.rules); // still firing: nothing new
    await n.delivery.idle();
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(['noc@example.gov.cn', 'duty@example.gov.cn']);
    expect(received[0]!.data).toMatch(/Subject: =\?UTF-8\?/); // the Chinese subject, encoded
    expect(received[0]!.data).toContain('441303101');

    const resolved = { ...alert, state: 'resolved' as const, resolvedAt: T + 60_000 };
    n.afterEvaluation([], [{ key: alert.key, from: 'firing', to: 'resolved', at: T + 60_000, alert: resolved }], [], parsed.rules);
    await n.delivery.idle();
    expect(received).toHaveLength(2);
    expect(received[1]!.data).toContain('resolved: 2025-03-04T02:01:00.000Z');
    expect(n.delivery.statusOf('email')).toMatchObject({ sent: 2, failed: 0 });
  });
});
