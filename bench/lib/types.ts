// What every benchmark module exports and returns, so bench/run.ts can run them in sequence and print one summary.

export type BenchOptions = {
  /** A short smoke run: every phase shortened to a couple of seconds. */
  quick: boolean;
  /** PostgreSQL server to measure as well (a fresh database is created on it), or undefined for PGlite only. */
  databaseUrl: string | undefined;
  /** When set, every server child runs with `--cpu-prof` and writes its profile into this folder on exit. */
  cpuProfDir: string | undefined;
  /** Progress lines (stderr), kept out of the summary. */
  log(message: string): void;
};

/** One line of a result table; rows with the same `table` are printed together, columns in first-seen order. */
export type ResultRow = { table: string } & Record<string, string | number | boolean | null>;

export type Bench = {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<ResultRow[]>;
};
