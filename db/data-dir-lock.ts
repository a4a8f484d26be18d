// An exclusive lock on the embedded database folder: a second process fails fast instead of corrupting it.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>.lock` (beside the folder, since PGlite owns the folder's contents) holding our pid.
 * A lock left by a process that no longer runs (kill -9, power loss) is taken over. Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  const lockPath = join(dir, '..', `${dir.split(/[\\/]/).filter(Boolean).at(-1) ?? 'data'}.lock`);
  mkdirSync(join(dir, '..'), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(lockPath, { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) {
        throw new DataDirLockedError(
          `The database folder ${dir} is in use by another Porchlight process (pid ${pid}). ` +
            'Stop it first, or point DATA_DIR elsewhere. (The embedded database allows one process at a time; use DATABASE_URL for several.)',
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(`Could not take the lock ${lockPath}`);
}
