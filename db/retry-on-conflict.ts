// Retries a transaction PostgreSQL aborted because it collided with another one.

/**
 * Runs a transaction again when PostgreSQL aborted it for a deadlock (40P01) or a serialization failure (40001): the
 * loser was rolled back whole, so doing it again is safe. Used where concurrent transactions may meet on one row (a
 * SKU move's lanes on one order, or its coalesced message).
 */
export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
      if (i >= attempts || (code !== '40P01' && code !== '40001')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * i));
    }
  }
}
