// The one validated configuration, read once from the environment; importable from Astro and plain Node alike.
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const TRUST_PROXY_ERROR = 'TRUST_PROXY must be the number of proxies in front of the server: 0 (none), 1, 2, …';

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4321),
    /** Where links in messages point; never derived from the Host header. */
    PUBLIC_URL: z.url({ error: 'PUBLIC_URL must be an absolute URL such as https://status.example.com' }).optional(),
    /** PostgreSQL connection string; when absent the embedded PGlite in DATA_DIR is used. */
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres://')
        .optional(),
    ),
    DATA_DIR: z.string().default('./data'),
    /**
     * Proxies in front of the server that append to X-Forwarded-For and set X-Forwarded-Proto (a TLS-terminating load
     * balancer: 1). At 0 those headers are ignored, since any client can send them.
     */
    TRUST_PROXY: z.coerce
      .number({ error: TRUST_PROXY_ERROR })
      .int({ error: TRUST_PROXY_ERROR })
      .min(0, { error: TRUST_PROXY_ERROR })
      .max(10, { error: TRUST_PROXY_ERROR })
      .default(0),
    /** Seed the demo store when the database has no orders (default on for the embedded database). */
    DEMO_SEED: z.enum(['auto', 'on', 'off']).default('auto'),
    LOOKUP_LIMIT_PER_IP: z.coerce.number().int().positive().default(20),
    LOOKUP_LIMIT_PER_ORDER: z.coerce.number().int().positive().default(5),
    LOOKUP_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
    ORDER_ACCESS_MINUTES: z.coerce.number().int().positive().default(60),
    /** Requests each API key may make per minute before it gets 429 (counted per web process). */
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
    RESEND_API_KEY: optionalString,
    RESEND_BASE_URL: optionalString,
    EMAIL_FROM: optionalString,
    /** The signing secret (whsec_…) of the Resend webhook pointing at /webhooks/resend. */
    RESEND_WEBHOOK_SECRET: optionalString,
    TWILIO_ACCOUNT_SID: optionalString,
    TWILIO_AUTH_TOKEN: optionalString,
    TWILIO_FROM: optionalString,
    TWILIO_MESSAGING_SERVICE_SID: optionalString,
    TWILIO_BASE_URL: optionalString,
    /** Resend requests per second (each carries up to 100 e-mails); 0 = unlimited. */
    RESEND_REQUESTS_PER_SECOND: z.coerce.number().min(0).default(2),
    /** SMS segments per second per sender (long code 1, toll-free 3, short code 100); 0 = unlimited. */
    TWILIO_SEGMENTS_PER_SECOND: z.coerce.number().min(0).default(1),
    /** The shop platform's endpoint for signed `refund.requested` webhooks (the automatic refund hand-off). */
    REFUND_WEBHOOK_URL: optionalString.pipe(z.url({ error: 'REFUND_WEBHOOK_URL must be an absolute URL' }).optional()),
    /** Shared secret for signing webhooks both ways (at least 32 characters). */
    REFUND_WEBHOOK_SECRET: optionalString.pipe(z.string().min(32, 'REFUND_WEBHOOK_SECRET must be at least 32 characters').optional()),
    /** Run the notifier inside the web server process (default), or leave it to `npm run worker`. */
    NOTIFIER: z.enum(['on', 'off']).default('on'),
    /** `text` (default) for people reading a terminal; `json` for one JSON object per line (level, time, msg, fields). */
    LOG_FORMAT: z.enum(['text', 'json']).default('text'),
  })
  .transform((env) => ({
    ...env,
    PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
  }));

export type Config = z.output<typeof schema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment; throws a ConfigError listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

let cached: Config | undefined;

/** The process configuration, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** For an entry point (server, worker, CLI): the configuration, or the list of what is wrong and exit status 1. */
export function configOrExit(): Config {
  try {
    return config();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
