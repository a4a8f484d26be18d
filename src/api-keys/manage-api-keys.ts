// The owner's API keys: create one (its secret returned once, only the hash kept), revoke one, list them with their last use.
import { desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '#db/client.ts';
import { apiKeys, staffUsers } from '#db/schema/index.ts';
import type { Actor } from '#src/commands/actor.ts';
import { defineCommand } from '#src/commands/command.ts';
import type { ApiScope } from '#src/commands/principal.ts';
import { staff } from '#src/commands/rules.ts';
import { text } from '#src/input/text.ts';
import { issueApiKey } from './key-token.ts';

export const API_SCOPES = ['read', 'write'] as const satisfies readonly ApiScope[];
export const KEY_NAME_MAX = 100;

/** The id part of a key (`pl_<id>.…`), as the console and the CLI name a key. */
const keyId = z.string().regex(/^[a-z2-7]{24}$/, 'is not an API key id');

export type CreatedApiKey = { id: string; name: string; scope: ApiScope; createdAt: Date };

/** Creates a key; `key` is the whole secret, to show once (nothing can show it again). */
export async function createApiKey(
  db: Queryable,
  input: { name: string; scope: ApiScope; actor: Actor },
  now: Date = new Date(),
): Promise<{ ok: true; apiKey: CreatedApiKey; key: string }> {
  const issued = issueApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: issued.id,
      name: input.name,
      scope: input.scope,
      secretHash: issued.secretHash,
      createdBy: actorId(input.actor),
      createdAt: now,
    })
    .returning({ id: apiKeys.id, name: apiKeys.name, scope: apiKeys.scope, createdAt: apiKeys.createdAt });
  return { ok: true, apiKey: row as CreatedApiKey, key: issued.key };
}

export type RevokeApiKeyResult =
  | { ok: true; apiKey: { id: string; name: string } }
  | { ok: false; reason: 'not_found' | 'already_revoked' };

/** Revokes a key at once: the next request that presents it gets 401. */
export async function revokeApiKey(db: Db, input: { keyId: string; actor: Actor }, now: Date = new Date()): Promise<RevokeApiKeyResult> {
  return db.transaction(async (tx) => {
    const [key] = await tx
      .select({ id: apiKeys.id, name: apiKeys.name, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(eq(apiKeys.id, input.keyId))
      .for('update');
    if (!key) return { ok: false, reason: 'not_found' } as const;
    if (key.revokedAt !== null) return { ok: false, reason: 'already_revoked' } as const;
    await tx
      .update(apiKeys)
      .set({ revokedAt: now, revokedBy: actorId(input.actor) })
      .where(eq(apiKeys.id, key.id));
    return { ok: true, apiKey: { id: key.id, name: key.name } } as const;
  });
}

/** Who made a change, as `created_by` / `revoked_by` keep it: the staff member's id, or `cli`. */
function actorId(actor: Actor): string {
  return actor.id ?? actor.type;
}

export const createApiKeyCommand = defineCommand({
  name: 'create-api-key',
  input: z.object({ name: text({ min: 1, max: KEY_NAME_MAX }), scope: z.enum(API_SCOPES) }),
  allow: staff('owner'),
  run: (db, input, { actor, now }) => createApiKey(db, { ...input, actor }, now),
});

export const revokeApiKeyCommand = defineCommand({
  name: 'revoke-api-key',
  input: z.object({ keyId }),
  allow: staff('owner'),
  run: (db, input, { actor, now }) => revokeApiKey(db, { ...input, actor }, now),
});

export type ApiKeyRow = {
  id: string;
  name: string;
  scope: ApiScope;
  createdAt: Date;
  /** The staff member's name, "the command line", or null when that member has since been removed. */
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** Every key, live ones first, newest first. */
export async function listApiKeys(db: Queryable): Promise<ApiKeyRow[]> {
  const rows = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      scope: apiKeys.scope,
      createdAt: apiKeys.createdAt,
      createdById: apiKeys.createdBy,
      staffName: staffUsers.name,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .leftJoin(staffUsers, sql`${staffUsers.id}::text = ${apiKeys.createdBy}`)
    .orderBy(sql`${apiKeys.revokedAt} is not null`, desc(apiKeys.createdAt), apiKeys.id);
  return rows.map(({ createdById, staffName, ...row }) => ({
    ...row,
    createdBy: createdById === 'cli' ? 'the command line' : staffName,
  }));
}
