// Owner settings against a real database: saving store settings (each bad field refused, nothing changed), and staff management rules.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { storeFactory } from '#db/factories.ts';
import { staffUsers, storeSettings } from '#db/schema/index.ts';
import { createSession, validateSessionToken } from '#src/auth/staff-sessions.ts';
import { addStaff, changeStaffRole, listStaff, removeStaff } from '#src/staff/manage-staff.ts';
import { createStaff, type StaffUser, signIn } from '#src/staff/staff-accounts.ts';
import { loadStoreSettings } from '#src/store/store-settings.ts';
import { type SettingsInput, settingsFormValues, updateStoreSettings } from '#src/store/update-store-settings.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const now = new Date('2026-11-22T15:00:00Z');
let database: Database;
const db = () => database.db;

beforeAll(async () => {
  database = await freshDatabase();
  await db().insert(storeSettings).values(storeFactory());
});
afterAll(() => database.close());

async function formValues(): Promise<SettingsInput> {
  return settingsFormValues(await loadStoreSettings(db()));
}

describe('store settings', () => {
  it('saves a valid form, normalised, and reports what changed', async () => {
    const before = await loadStoreSettings(db());
    const input: SettingsInput = {
      ...(await formValues()),
      name: '  Northwind Outfitters & Co. ',
      supportEmail: ' Help@Northwind.Example ',
      supportPhone: '(555) 555-0199',
      logoUrl: 'https://cdn.northwind.example/logo.png',
      timeZone: 'US/Pacific',
      defaultLocale: 'en',
      locales: ['de', 'en'],
      quietHoursStart: '22:30',
      quietHoursEnd: '07:00',
      coalesceSeconds: '300',
      atRiskDays: '7',
      cancellationPolicy: 'rule_only',
      holidays: '2026-12-25\n\n2026-11-26\r\n 2027-01-01 \n2026-12-25',
      emailFrom: 'Northwind <Orders@Northwind.Example>',
      smsFrom: '+1 555 555 0142',
    };
    const result = await updateStoreSettings(db(), input, now);
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.changed.sort()).toEqual(
      [
        'name',
        'supportPhone',
        'logoUrl',
        'timeZone',
        'locales',
        'quietHoursStart',
        'quietHoursEnd',
        'coalesceSeconds',
        'atRiskDays',
        'cancellationPolicy',
        'holidays',
        'emailFrom',
        'smsFrom',
      ].sort(),
    );
    const after = await loadStoreSettings(db());
    expect(after).toMatchObject({
      name: 'Northwind Outfitters & Co.',
      supportEmail: 'help@northwind.example',
      supportPhone: '+15555550199',
      logoUrl: 'https://cdn.northwind.example/logo.png',
      timeZone: 'America/Los_Angeles',
      locales: ['en', 'de'],
      quietHoursStart: '22:30',
      quietHoursEnd: '07:00',
      coalesceSeconds: 300,
      atRiskDays: 7,
      cancellationPolicy: 'rule_only',
      holidays: ['2026-11-26', '2026-12-25', '2027-01-01'],
      emailFrom: 'Northwind <orders@northwind.example>',
      smsFrom: '+15555550142',
    });
    expect(after.updatedAt).toEqual(now);
    expect(after.updatedAt.getTime()).not.toBe(before.updatedAt.getTime());
  });

  it('clears the optional fields when left empty, and accepts a messaging service SID', async () => {
    const input = {
      ...(await formValues()),
      supportPhone: ' ',
      logoUrl: '',
      emailFrom: '',
      smsFrom: 'MG0123456789ABCDEF0123456789abcdef',
      holidays: '',
    };
    const result = await updateStoreSettings(db(), input, now);
    expect(result.ok).toBe(true);
    expect(await loadStoreSettings(db())).toMatchObject({
      supportPhone: null,
      logoUrl: null,
      emailFrom: null,
      smsFrom: 'MG0123456789abcdef0123456789abcdef',
      holidays: [],
    });
  });

  it('writes nothing when nothing changed', async () => {
    const before = await loadStoreSettings(db());
    const later = new Date(now.getTime() + 60_000);
    const result = await updateStoreSettings(db(), await formValues(), later);
    expect(result).toMatchObject({ ok: true, changed: [] });
    expect((await loadStoreSettings(db())).updatedAt).toEqual(before.updatedAt);
  });

  it('round-trips the form: what it shows saves to the same settings', async () => {
    const before = await loadStoreSettings(db());
    await updateStoreSettings(db(), { ...(await formValues()), emailFrom: '"Northwind, Inc." <orders@northwind.example>' }, now);
    const saved = await loadStoreSettings(db());
    expect(saved.emailFrom).toBe('"Northwind, Inc." <orders@northwind.example>');
    const again = await updateStoreSettings(db(), settingsFormValues(saved), now);
    expect(again).toMatchObject({ ok: true, changed: [] });
    expect(before.name).toBe(saved.name);
  });

  const BAD: Array<[Partial<Record<keyof SettingsInput, unknown>>, Partial<Record<keyof SettingsInput, string>>]> = [
    [{ name: '' }, { name: 'name_invalid' }],
    [{ name: '   ' }, { name: 'name_invalid' }],
    [{ name: 'x'.repeat(81) }, { name: 'name_invalid' }],
    [{ name: 'Bad\u0007Bell' }, { name: 'name_invalid' }],
    [{ supportEmail: 'not-an-email' }, { supportEmail: 'email_invalid' }],
    [{ supportEmail: '' }, { supportEmail: 'email_invalid' }],
    [{ supportPhone: '12' }, { supportPhone: 'phone_invalid' }],
    [{ supportPhone: 'call us' }, { supportPhone: 'phone_invalid' }],
    [{ logoUrl: 'http://cdn.example/logo.png' }, { logoUrl: 'logo_not_https' }],
    [{ logoUrl: 'javascript:alert(1)' }, { logoUrl: 'logo_not_https' }],
    [{ logoUrl: 'not a url' }, { logoUrl: 'logo_not_https' }],
    [{ timeZone: 'Mars/Olympus_Mons' }, { timeZone: 'time_zone_invalid' }],
    [{ timeZone: '+01:00' }, { timeZone: 'time_zone_invalid' }],
    [{ timeZone: '' }, { timeZone: 'time_zone_invalid' }],
    [{ defaultLocale: 'fr' }, { defaultLocale: 'locale_invalid' }],
    [{ locales: ['en', 'fr'] }, { locales: 'locale_invalid' }],
    [{ locales: [] }, { locales: 'locales_without_default' }],
    [{ defaultLocale: 'de', locales: ['en'] }, { locales: 'locales_without_default' }],
    [{ quietHoursStart: '9pm' }, { quietHoursStart: 'time_invalid' }],
    [{ quietHoursEnd: '24:00' }, { quietHoursEnd: 'time_invalid' }],
    [{ quietHoursEnd: '8:00' }, { quietHoursEnd: 'time_invalid' }],
    [{ coalesceSeconds: '-1' }, { coalesceSeconds: 'coalesce_out_of_range' }],
    [{ coalesceSeconds: '3601' }, { coalesceSeconds: 'coalesce_out_of_range' }],
    [{ coalesceSeconds: '1.5' }, { coalesceSeconds: 'coalesce_out_of_range' }],
    [{ coalesceSeconds: '' }, { coalesceSeconds: 'coalesce_out_of_range' }],
    [{ atRiskDays: '0' }, { atRiskDays: 'at_risk_out_of_range' }],
    [{ atRiskDays: '31' }, { atRiskDays: 'at_risk_out_of_range' }],
    [{ cancellationPolicy: 'never' }, { cancellationPolicy: 'policy_invalid' }],
    [{ holidays: '2026-12-25\n2026-02-30' }, { holidays: 'holidays_invalid' }],
    [{ holidays: '25/12/2026' }, { holidays: 'holidays_invalid' }],
    [{ holidays: Array.from({ length: 201 }, () => '2030-01-01').join('\n') }, { holidays: 'holidays_too_many' }],
    [{ emailFrom: 'Northwind <not-an-address>' }, { emailFrom: 'email_from_invalid' }],
    [{ emailFrom: 'Northwind orders@northwind.example' }, { emailFrom: 'email_from_invalid' }],
    [{ emailFrom: 'Evil\r\nBcc: x@y.z <a@b.example>' }, { emailFrom: 'email_from_invalid' }],
    [{ smsFrom: 'Northwind' }, { smsFrom: 'sms_from_invalid' }],
    [{ smsFrom: 'MG123' }, { smsFrom: 'sms_from_invalid' }],
    [{ name: undefined }, { name: 'name_invalid' }],
    [{ atRiskDays: 5 }, { atRiskDays: 'at_risk_out_of_range' }],
    [{ holidays: ['2026-12-25'] }, { holidays: 'holidays_invalid' }],
    [
      { name: '', timeZone: 'Nowhere/Land', atRiskDays: '99' },
      { name: 'name_invalid', timeZone: 'time_zone_invalid', atRiskDays: 'at_risk_out_of_range' },
    ],
  ];

  it.each(BAD)('refuses %j and changes nothing', async (change, errors) => {
    const before = await loadStoreSettings(db());
    const result = await updateStoreSettings(db(), { ...(await formValues()), ...change }, new Date(now.getTime() + 3_600_000));
    expect(result).toEqual({ ok: false, reason: 'invalid', errors });
    expect(await loadStoreSettings(db())).toEqual(before);
  });
});

describe('managing staff', () => {
  let n = 0;
  async function member(role: 'owner' | 'agent'): Promise<StaffUser> {
    n += 1;
    const r = await createStaff(db(), { email: `member${n}@shop.example`, name: `Member ${n}`, role, password: 'a long enough password' });
    if (!r.ok) throw new Error(r.reason);
    return r.user;
  }
  const roleOf = async (id: number) => (await db().select().from(staffUsers).where(eq(staffUsers.id, id)))[0]?.role;

  it('lists every member, owners first', async () => {
    const agent = await member('agent');
    const owner = await member('owner');
    const list = await listStaff(db());
    const ids = list.map((m) => m.id);
    expect(ids).toContain(agent.id);
    expect(ids.indexOf(owner.id)).toBeLessThan(ids.indexOf(agent.id));
    expect(list.every((m) => !('passwordHash' in m))).toBe(true);
  });

  it('lets an owner add a member with a strong generated password, shown once and stored hashed', async () => {
    const owner = await member('owner');
    const r = await addStaff(db(), owner, { email: ' New.Agent@Shop.Example ', name: 'New Agent', role: 'agent' });
    if (!r.ok) throw new Error(r.reason);
    expect(r.user).toMatchObject({ email: 'new.agent@shop.example', role: 'agent' });
    expect(r.password.replaceAll('-', '').length).toBeGreaterThanOrEqual(26);
    const [row] = await db().select().from(staffUsers).where(eq(staffUsers.id, r.user.id));
    expect(row?.passwordHash).not.toContain(r.password);
    expect((await signIn(db(), { email: 'new.agent@shop.example', password: r.password, ip: '203.0.113.9' }, now)).ok).toBe(true);
    const other = await addStaff(db(), owner, { email: 'other@shop.example', name: 'Other', role: 'agent' });
    expect(other.ok && other.password).not.toBe(r.password);
  });

  it('refuses bad members, a taken e-mail, and agents adding anyone', async () => {
    const owner = await member('owner');
    const agent = await member('agent');
    expect(await addStaff(db(), owner, { email: 'nope', name: 'X', role: 'agent' })).toEqual({ ok: false, reason: 'invalid_email' });
    expect(await addStaff(db(), owner, { email: 'x@shop.example', name: ' ', role: 'agent' })).toEqual({
      ok: false,
      reason: 'invalid_name',
    });
    expect(await addStaff(db(), owner, { email: 'x@shop.example', name: 'X', role: 'admin' })).toEqual({
      ok: false,
      reason: 'invalid_role',
    });
    expect(await addStaff(db(), owner, { email: agent.email.toUpperCase(), name: 'X', role: 'agent' })).toEqual({
      ok: false,
      reason: 'email_taken',
    });
    const count = (await listStaff(db())).length;
    expect(await addStaff(db(), agent, { email: 'sneaky@shop.example', name: 'Sneaky', role: 'owner' })).toEqual({
      ok: false,
      reason: 'forbidden',
    });
    expect(await listStaff(db())).toHaveLength(count);
  });

  it('changes roles both ways, but never an owner’s own, and only by an owner', async () => {
    const owner = await member('owner');
    const agent = await member('agent');
    expect(await changeStaffRole(db(), owner, { userId: agent.id, role: 'owner' })).toMatchObject({ ok: true, changed: true });
    expect(await roleOf(agent.id)).toBe('owner');
    expect(await changeStaffRole(db(), owner, { userId: agent.id, role: 'agent' })).toMatchObject({ ok: true, changed: true });
    expect(await roleOf(agent.id)).toBe('agent');
    expect(await changeStaffRole(db(), owner, { userId: agent.id, role: 'agent' })).toMatchObject({ ok: true, changed: false });
    expect(await changeStaffRole(db(), owner, { userId: owner.id, role: 'agent' })).toEqual({ ok: false, reason: 'self' });
    expect(await changeStaffRole(db(), owner, { userId: agent.id, role: 'admin' })).toEqual({ ok: false, reason: 'invalid_role' });
    expect(await changeStaffRole(db(), owner, { userId: 999_999, role: 'agent' })).toEqual({ ok: false, reason: 'not_found' });
    expect(await changeStaffRole(db(), agent, { userId: agent.id, role: 'owner' })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await roleOf(owner.id)).toBe('owner');
    expect(await roleOf(agent.id)).toBe('agent');
  });

  it('reads the actor’s role from the database: an owner demoted a moment ago can no longer act', async () => {
    const a = await member('owner');
    const b = await member('owner');
    expect((await changeStaffRole(db(), a, { userId: b.id, role: 'agent' })).ok).toBe(true);
    // b's copy still says owner.
    expect(await changeStaffRole(db(), b, { userId: a.id, role: 'agent' })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await removeStaff(db(), b, { userId: a.id })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await roleOf(a.id)).toBe('owner');
  });

  it('never leaves the store without an owner, even when two owners demote each other at once', async () => {
    await db().delete(staffUsers);
    const a = await member('owner');
    const b = await member('owner');
    const results = await Promise.all([
      changeStaffRole(db(), a, { userId: b.id, role: 'agent' }),
      changeStaffRole(db(), b, { userId: a.id, role: 'agent' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'forbidden' }]);
    const owners = (await listStaff(db())).filter((m) => m.role === 'owner');
    expect(owners).toHaveLength(1);
  });

  it('keeps the last owner: not demoted and not removed', async () => {
    await db().delete(staffUsers);
    const last = await member('owner');
    const agent = await member('agent');
    // The only owner cannot demote or remove themselves…
    expect(await changeStaffRole(db(), last, { userId: last.id, role: 'agent' })).toEqual({ ok: false, reason: 'self' });
    expect(await removeStaff(db(), last, { userId: last.id })).toEqual({ ok: false, reason: 'self' });
    // …and a second owner who is then removed cannot take the first with them.
    await changeStaffRole(db(), last, { userId: agent.id, role: 'owner' });
    const second = { ...agent, role: 'owner' as const };
    expect((await removeStaff(db(), second, { userId: last.id })).ok).toBe(true);
    expect(await changeStaffRole(db(), second, { userId: second.id, role: 'agent' })).toEqual({ ok: false, reason: 'self' });
    expect((await listStaff(db())).filter((m) => m.role === 'owner').map((m) => m.id)).toEqual([second.id]);
  });

  it('lets no agent demote or remove an owner', async () => {
    await db().delete(staffUsers);
    const only = await member('owner');
    const agent = await member('agent');
    expect(await removeStaff(db(), agent, { userId: only.id })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await changeStaffRole(db(), agent, { userId: only.id, role: 'agent' })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await roleOf(only.id)).toBe('owner');
  });

  it('removes a member and ends every session they have, leaving others signed in', async () => {
    const owner = await member('owner');
    const agent = await member('agent');
    const theirs = await Promise.all([createSession(db(), agent.id, now), createSession(db(), agent.id, now)]);
    const mine = await createSession(db(), owner.id, now);
    expect(await removeStaff(db(), owner, { userId: agent.id })).toMatchObject({ ok: true, user: { id: agent.id } });
    for (const s of theirs) expect(await validateSessionToken(db(), s.token, now)).toBeNull();
    expect(await validateSessionToken(db(), mine.token, now)).not.toBeNull();
    expect((await listStaff(db())).map((m) => m.id)).not.toContain(agent.id);
    expect(await removeStaff(db(), owner, { userId: agent.id })).toEqual({ ok: false, reason: 'not_found' });
    expect(await removeStaff(db(), owner, { userId: -1 })).toEqual({ ok: false, reason: 'not_found' });
    expect(await removeStaff(db(), owner, { userId: Number.MAX_SAFE_INTEGER })).toEqual({ ok: false, reason: 'not_found' });
  });
});
