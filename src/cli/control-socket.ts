// The running portal's local control socket: with the embedded database only one process may open it, so the CLI
// hands its command line to the portal through a Unix socket beside the data folder (owner-only permissions).
import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import type { Db } from '#db/client.ts';
import { describeError } from '#src/observability/error-summary.ts';
import { type CommandResult, runCommand } from './commands.ts';

export function controlSocketPath(dataDir: string): string {
  return `${resolve(dataDir)}.sock`;
}

export function startControlSocket(db: Db, path: string): Server {
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    let input = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      input += chunk;
      if (!input.includes('\n')) return;
      const line = input.slice(0, input.indexOf('\n'));
      let argv: string[];
      try {
        argv = JSON.parse(line).argv;
        if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) throw new Error('argv');
      } catch {
        socket.end(`${JSON.stringify({ code: 2, output: 'bad request' })}\n`);
        return;
      }
      runCommand(db, argv).then(
        (result) => socket.end(`${JSON.stringify(result)}\n`),
        (error: unknown) => socket.end(`${JSON.stringify({ code: 1, output: `Failed: ${describeError(error)}` })}\n`),
      );
    });
    socket.on('error', () => {});
  });
  server.listen(path, () => chmodSync(path, 0o600));
  return server;
}

export function sendToControlSocket(path: string, argv: string[]): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const socket = createConnection(path);
    let output = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify({ argv })}\n`));
    socket.on('data', (chunk) => {
      output += chunk;
    });
    socket.on('end', () => {
      try {
        resolvePromise(JSON.parse(output));
      } catch (error) {
        reject(error);
      }
    });
    socket.on('error', reject);
  });
}
