// `npm run seed [-- --orders N]`: seeds the configured database with the demo store, or N extra orders for benchmarks.
import { parseArgs } from 'node:util';
import { config } from '#src/config/config.ts';
import { openConfiguredDatabase } from './client.ts';
import { seedDemo, seedLarge } from './seed.ts';

const { values } = parseArgs({ options: { orders: { type: 'string' } } });
const count = values.orders === undefined ? undefined : Number(values.orders);
if (count !== undefined && (!Number.isInteger(count) || count <= 0 || count > 2_000_000)) {
  console.error('--orders takes a whole number from 1 to 2000000');
  process.exit(2);
}
const database = await openConfiguredDatabase(config());
try {
  await database.migrate();
  if (count === undefined) {
    const logins = await seedDemo(database.db);
    console.log(`Seeded ${logins.length} demo orders.`);
  } else {
    const started = Date.now();
    await seedLarge(database.db, count, new Date(), (done) => {
      if (done % 10_000 === 0 || done === count) process.stdout.write(`\r${done}/${count} orders`);
    });
    console.log(`\nSeeded ${count} orders in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
} finally {
  await database.close();
}
