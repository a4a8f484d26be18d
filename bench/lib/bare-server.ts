// Child process: a bare node:http server answering each path with fixed bytes, the ceiling for the order page.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type Message = { pages: Map<string, Uint8Array> };

process.once('message', (message: Message) => {
  const pages = new Map([...message.pages].map(([path, body]) => [path, Buffer.from(body)]));
  const server = createServer((req, res) => {
    const body = pages.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => process.exit(0));
