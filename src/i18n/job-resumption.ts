// What the job page says about a SKU move whose process stopped: that a worker took it over, or that one will.
import { type BulkJob, MAX_RESUMES } from '#src/eta/bulk-jobs.ts';
import { formatInstant } from './format.ts';

/** For a job a worker took over (running or finished): when, and how often; null for one that never stopped. */
export function describeResumption(job: Pick<BulkJob, 'resumedAt' | 'resumes'>, timeZone: string): string | null {
  if (!job.resumedAt) return null;
  const times = job.resumes > 1 ? ` (resumed ${job.resumes} times)` : '';
  return `Resumed by a worker at ${formatInstant(job.resumedAt, 'en', timeZone)}, after the server running it stopped${times}.`;
}

/** For an interrupted job: whether a worker will take it over, or staff must finish it. */
export function describeInterruption(job: Pick<BulkJob, 'resumes'>): { resumesItself: boolean; text: string } {
  return job.resumes < MAX_RESUMES
    ? {
        resumesItself: true,
        text: 'The server stopped while it was moving these lines. A running notifier (the web server’s, or npm run worker) takes the move over within seconds and continues where it stopped; lines already moved are not moved or told again. This page shows it when that happens.',
      }
    : {
        resumesItself: false,
        text: `The server stopped while it was moving these lines, ${job.resumes + 1} times now, so no worker takes it over again.`,
      };
}
