// Child processes and temp folders of a benchmark run, all cleaned up on exit, on failure and on Ctrl-C.
import { type ChildProcess, fork, type Serializable, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

function killAllNow(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
process.once('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the benchmark servers…`);
    void stopAll().finally(() => process.exit(130));
  });
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/** A free TCP port on 127.0.0.1 (for children that cannot report the port they bound). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export type Child = {
  process: ChildProcess;
  /** The last lines the child printed, for error messages. */
  log(): string;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
};

function track(child: ChildProcess, name: string): Child {
  children.add(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => children.delete(child));
  return {
    process: child,
    log: () => `${name}:\n  ${lines.join('\n  ')}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a script with this Node (node_modules/.bin/node under npm run, so Node 24). */
export function startScript(name: string, script: string, env: NodeJS.ProcessEnv, nodeFlags: string[] = []): Child {
  const child = spawn(process.execPath, [...nodeFlags, script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return track(child, name);
}

/** Forks a script with an IPC channel that carries Dates and Maps (structured clone). */
export function forkScript(name: string, script: string, env: NodeJS.ProcessEnv, nodeFlags: string[] = []): Child {
  const child = fork(script, [], { env, execArgv: nodeFlags, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
  return track(child, name);
}

/** Resolves when the child prints a line matching `pattern`; rejects when it exits first or the time runs out. */
export function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = buffered.match(pattern);
      if (match) finish(() => resolve(match));
    };
    const onExit = (code: number | null) => finish(() => reject(new Error(`exited (${code}) before it was ready\n${child.log()}`)));
    const timer = setTimeout(() => finish(() => reject(new Error(`not ready after ${timeoutMs} ms\n${child.log()}`))), timeoutMs);
    const finish = (then: () => void) => {
      clearTimeout(timer);
      child.process.stdout?.off('data', onData);
      child.process.off('exit', onExit);
      then();
    };
    child.process.stdout?.on('data', onData);
    child.process.once('exit', onExit);
  });
}

/** Sends one message to a forked child and waits for its first answer. */
export function ask<T>(child: Child, message: Serializable, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer after ${timeoutMs} ms\n${child.log()}`)), timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) without answering\n${child.log()}`));
    };
    child.process.once('exit', onExit);
    child.process.once('message', (answer) => {
      clearTimeout(timer);
      child.process.off('exit', onExit);
      resolve(answer as T);
    });
    child.process.send(message);
  });
}

/** Stops every child still running and removes every temp folder. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}
