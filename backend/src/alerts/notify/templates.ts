import type { WebhookTemplate } from '../config';

/**
 * The webhook bodies. `generic` is this product's own JSON; `wecom` and
 * `dingtalk` are the markdown messages of 企业微信 and 钉钉 group robots
 * (their documented `msgtype: markdown` bodies), so a robot's URL can be
 * used as ALERT_WEBHOOK_URL as it is.
 */
export interface NotificationAlert {
  key: string;
  status: 'firing' | 'resolved';
  rule: string;
  severity: string;
  subject: { kind: string; id: string };
  summary: string;
  cutOff: Array<{ code: string; name: string }>;
  labels: Record<string, string>;
  startsAt: string;
  endsAt: string | null;
  url: string;
  acknowledgedBy?: string;
}

const SEVERITY_ZH: Record<string, string> = { critical: '严重', warning: '警告', info: '提示' };

export function webhookBody(template: WebhookTemplate, a: NotificationAlert): unknown {
  if (template === 'generic') return { version: '1', source: 'extranet-manager', ...a };
  const head = a.status === 'firing' ? `【${SEVERITY_ZH[a.severity] ?? a.severity}】告警` : '【恢复】告警已恢复';
  const lines = [
    `### ${head}：${a.rule}`,
    `> ${a.summary}`,
    '',
    `- 对象 / subject：${a.subject.kind} ${a.subject.id}`,
    `- 开始 / since：${a.startsAt}`,
    ...(a.endsAt && a.status === 'resolved' ? [`- 恢复 / resolved：${a.endsAt}`] : []),
    ...(a.cutOff.length ? [`- 切断站点 / cut off (${a.cutOff.length})：${a.cutOff.map((s) => s.name).join('、')}`] : []),
    `- [查看 / open](${a.url})`,
  ];
  const text = lines.join('\n');
  if (template === 'wecom') return { msgtype: 'markdown', markdown: { content: text } };
  return { msgtype: 'markdown', markdown: { title: `${head}：${a.rule}`, text } };
}

/** The Alertmanager v2 body of one alert (POST /api/v2/alerts takes a list of these). */
export function alertmanagerAlert(a: NotificationAlert, endsAt: string): unknown {
  return {
    labels: a.labels,
    annotations: {
      summary: a.summary,
      ...(a.cutOff.length && { cut_off_count: String(a.cutOff.length), cut_off: a.cutOff.map((s) => `${s.code} ${s.name}`).join(', ') }),
      ...(a.acknowledgedBy && { acknowledged_by: a.acknowledgedBy }),
    },
    startsAt: a.startsAt,
    endsAt,
    generatorURL: a.url,
  };
}

export function emailOf(a: NotificationAlert): { subject: string; text: string } {
  const tag = a.status === 'firing' ? `[${a.severity.toUpperCase()}]` : '[RESOLVED]';
  return {
    subject: `${tag} ${a.summary}`.slice(0, 200),
    text: [
      a.summary,
      '',
      `subject: ${a.subject.kind} ${a.subject.id}`,
      `since: ${a.startsAt}`,
      ...(a.endsAt && a.status === 'resolved' ? [`resolved: ${a.endsAt}`] : []),
      ...(a.cutOff.length ? [`cut off (${a.cutOff.length}): ${a.cutOff.map((s) => `${s.code} ${s.name}`).join(', ')}`] : []),
      '',
      a.url,
    ].join('\n'),
  };
}
