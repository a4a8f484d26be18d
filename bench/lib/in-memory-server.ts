// Child process: the built Astro server with the order page reading fixed, in-memory data instead of the database.
// Started by bench/order-page.ts; receives the pages over IPC (Dates intact), answers with the port it listens on.
import type { AddressInfo } from 'node:net';
import { type OrderPageResult, setOrderPageSource } from '#src/orders/order-page-source.ts';

type Message = { entry: string; pages: Map<string, OrderPageResult> };

// Nothing here may touch a database: any attempt fails loudly (a 500 the benchmark reports) instead of opening one.
Object.defineProperty(globalThis, Symbol.for('porchlight.database'), {
  get() {
    throw new Error('the in-memory benchmark server has no database');
  },
  set() {},
  configurable: true,
});

process.once('message', async (message: Message) => {
  const pages = message.pages;
  setOrderPageSource(async ({ number, linkToken }) => {
    if (linkToken !== null && linkToken !== undefined) return { kind: 'link', valid: false };
    return pages.get(number) ?? { kind: 'not_found' };
  });
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  process.env.ASTRO_NODE_LOGGING = 'disabled';
  process.env.HOST = '127.0.0.1';
  process.env.PORT = '0';
  const { startServer } = (await import(message.entry)) as {
    startServer(): { server: { server: import('node:http').Server } };
  };
  const { server } = startServer();
  const http = server.server;
  if (!http.listening) await new Promise((resolve) => http.once('listening', resolve));
  process.send?.({ port: (http.address() as AddressInfo).port });
});
process.on('SIGTERM', () => process.exit(0));
