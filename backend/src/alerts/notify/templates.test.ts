import { describe, expect, it } from 'vitest';
import { alertmanagerAlert, webhookBody, type NotificationAlert } from './templates';

const a: NotificationAlert = {
  key: 'link-down|link:L-4413-441303',
  status: 'firing',
  rule: 'link-down',
  severity: 'critical',
  subject: { kind: 'link', id: 'L-4413-441303' },
  summary: '链路中断 L-4413-441303，切断 2 个站点：惠阳区、沙田镇 / link L-4413-441303 down, cuts off 2 sites: 441303, 441303101',
  cutOff: [
    { code: '441303', name: '惠阳区' },
    { code: '441303101', name: '沙田镇' },
  ],
  labels: { alertname: 'link-down', severity: 'critical', link: 'L-4413-441303' },
  startsAt: '2025-03-04T02:00:00.000Z',
  endsAt: null,
  url: 'http://127.0.0.1:8080/#/alerts?key=x',
};

describe('notification bodies', () => {
  it('企业微信 and 钉钉 robots get their markdown message; the generic body carries the alert', () => {
    const wecom = webhookBody('wecom', a) as { msgtype: string; markdown: { content: string } };
    expect(wecom.msgtype).toBe('markdown');
    expect(wecom.markdown.content).toMatch(/^### 【严重】告警：link-down\n> 链路中断/);
    expect(wecom.markdown.content).toContain('切断站点 / cut off (2)：惠阳区、沙田镇');
    const ding = webhookBody('dingtalk', { ...a, status: 'resolved', endsAt: '2025-03-04T02:05:00.000Z' }) as {
      msgtype: string;
      markdown: { title: string; text: string };
    };
    expect(ding).toMatchObject({ msgtype: 'markdown', markdown: { title: '【恢复】告警已恢复：link-down' } });
    expect(ding.markdown.text).toContain('恢复 / resolved：2025-03-04T02:05:00.000Z');
    expect(webhookBody('generic', a)).toMatchObject({ version: '1', source: 'extranet-manager', key: a.key, cutOff: a.cutOff });
  });

  it('Alertmanager gets labels, annotations with the cut-off sites, startsAt, endsAt and generatorURL', () => {
    expect(alertmanagerAlert({ ...a, acknowledgedBy: 'zhang.wei' }, '2025-03-04T02:04:00.000Z')).toEqual({
      labels: a.labels,
      annotations: { summary: a.summary, cut_off_count: '2', cut_off: '441303 惠阳区, 441303101 沙田镇', acknowledged_by: 'zhang.wei' },
      startsAt: a.startsAt,
      endsAt: '2025-03-04T02:04:00.000Z',
      generatorURL: a.url,
    });
  });
});
