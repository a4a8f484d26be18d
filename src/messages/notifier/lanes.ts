// The loop: lanes that run passes back to back, idle ones waiting a poll interval, with a heartbeat per lane.
import { describeError } from '#src/observability/error-summary.ts';
import type { Pass } from './pass.ts';

/** Whether the loop is alive: running, and each lane finished a pass or a send within `stallMs`. */
export type NotifierHealth = {
  running: boolean;
  stallMs: number;
  /** Per lane, milliseconds since it last finished a pass or a send. */
  lanes: number[];
};

export type Lanes = {
  start(): void;
  /** Stops claiming and waits for the passes in flight to finish. */
  stop(): Promise<void>;
  health(): NotifierHealth;
};

export function createLanes(
  pass: Pass,
  options: { lanes: number; pollMs: number; stallMs: number; log: (message: string) => void },
): Lanes {
  const { lanes, pollMs, stallMs, log } = options;
  /** Per lane, when it last finished a pass or a send (monotonic time: wall-clock jumps and test clocks aside). */
  let beats: number[] = [];
  let running: Promise<void> | null = null;
  let stopping = false;
  const wakers = new Set<() => void>();

  /** Lane 0 also runs the housekeeping (sweep, webhooks); the others only claim and send. */
  async function loop(lane: number) {
    const beat = () => {
      beats[lane] = performance.now();
    };
    beat();
    while (!stopping) {
      let handled = 0;
      try {
        handled = await pass(lane, lane === 0, beat);
      } catch (error) {
        log(`notifier: ${describeError(error)}`);
      }
      // A pass that failed still came back: the loop is alive (the database's own check says whether it answers).
      beat();
      if (handled === 0 && !stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          const waker = () => {
            clearTimeout(timer);
            wakers.delete(waker);
            resolve();
          };
          wakers.add(waker);
        });
      }
    }
  }

  return {
    start() {
      if (running) return;
      stopping = false;
      beats = Array.from({ length: lanes }, () => performance.now());
      running = Promise.all(Array.from({ length: lanes }, (_, lane) => loop(lane))).then(() => undefined);
    },
    async stop() {
      stopping = true;
      for (const waker of [...wakers]) waker();
      await running;
      running = null;
    },
    health() {
      const now = performance.now();
      return { running: running !== null && !stopping, stallMs, lanes: beats.map((at) => now - at) };
    },
  };
}
