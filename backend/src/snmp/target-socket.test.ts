import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { targetDgram, type StrayDatagram } from './target-socket';

/** Real loopback sockets: an "agent" that echoes, and a stranger that answers from elsewhere. */
const open = async (address = '127.0.0.1', port = 0) => {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(port, address, () => r()));
  return s;
};

let sockets: dgram.Socket[] = [];
afterEach(() => {
  for (const s of sockets) s.close();
  sockets = [];
});

async function exchange(host: string) {
  const agent = await open();
  const stranger = await open();
  const port = agent.address().port;
  const elsewhere = await open('127.0.0.2', port);
  sockets.push(agent, stranger, elsewhere);
  const strays: StrayDatagram[] = [];
  const heard: string[] = [];
  const client = targetDgram({ host, port }, (s) => strays.push(s)).createSocket('udp4');
  sockets.push(client);
  client.on('message', (m) => heard.push(m.toString()));
  agent.on('message', (_m, from) => {
    stranger.send('from-stranger', from.port, from.address);
    elsewhere.send('from-elsewhere', from.port, from.address);
    setTimeout(() => agent.send('from-agent', from.port, from.address), 20);
  });
  client.send('hello', port, host);
  await new Promise((r) => setTimeout(r, 150));
  return { heard, strays, port, stranger: stranger.address().port };
}

describe('targetDgram: the session socket hears only its agent', () => {
  it('an IP literal target: the agent is heard; another port and another address are dropped and reported', async () => {
    const { heard, strays, port, stranger } = await exchange('127.0.0.1');
    expect(heard).toEqual(['from-agent']);
    expect(strays).toEqual(
      expect.arrayContaining([
        { address: '127.0.0.1', port: stranger, size: 13 },
        { address: '127.0.0.2', port, size: 14 },
      ]),
    );
    expect(strays).toHaveLength(2);
  });

  it('a host name target: the address it resolved to when sending is the agent', async () => {
    const { heard, strays } = await exchange('localhost');
    expect(heard).toEqual(['from-agent']);
    expect(strays).toHaveLength(2);
  });

  it('nothing sent yet to a host name: every datagram is a stranger', async () => {
    const agent = await open();
    sockets.push(agent);
    const strays: StrayDatagram[] = [];
    const client = targetDgram({ host: 'localhost', port: agent.address().port }, (s) => strays.push(s)).createSocket('udp4');
    sockets.push(client);
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    const heard: string[] = [];
    client.on('message', (m) => heard.push(m.toString()));
    agent.send('unasked', client.address().port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 100));
    expect(heard).toEqual([]);
    expect(strays).toHaveLength(1);
  });
});
