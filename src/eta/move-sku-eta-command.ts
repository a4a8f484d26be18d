// Command: move the ETA of a SKU and every open line of it. Its input is checked here once; the preview (a query) takes
// the checked move, and the move itself runs in the background as a job (`bulk-jobs.ts`), chunk by chunk, whose page
// shows its progress. `previewOnly` answers with the preview and starts nothing: staff see who gets what first.
import { z } from 'zod';
import { defineCommand } from '#src/commands/command.ts';
import { anyOf, apiKey, staff } from '#src/commands/rules.ts';
import { text } from '#src/input/text.ts';
import { startSkuMoveJob } from './bulk-jobs.ts';
import { checkEtaMove, etaDate } from './check-eta-move.ts';
import { PREVIEW_GROUPS, previewSkuMove, type SkuMovePlan } from './preview-sku-move.ts';

export type MoveSkuEtaOutcome =
  | { ok: true; preview: SkuMovePlan }
  | { ok: true; jobId: number; expectedLines: number }
  | { ok: false; reason: 'no_date' | 'reason_required' | 'invalid_date' | 'from_after_to' | 'not_found' | 'date_in_past' };

export const moveSkuEtaCommand = defineCommand({
  name: 'move-sku-eta',
  input: z.object({
    // As written: the console's address names the SKU exactly (` NIM-MUGS` is no SKU, not NIM-MUGS).
    sku: text({ min: 1, max: 200, trim: false }),
    from: etaDate,
    to: etaDate,
    // An empty reason is refused with its own reason (`reason_required`), not as bad input.
    reason: text({ max: 500, multiline: true }),
    /** No date can be given (435.2(a)(3)): the dates are then ignored. A form's checkbox sends "on". */
    noDate: z.union([z.boolean(), z.literal('on')]).optional(),
    previewOnly: z.boolean().default(false),
  }),
  allow: anyOf(staff(), apiKey('write')),
  run: async (db, input, { actor, now }): Promise<MoveSkuEtaOutcome> => {
    const noDate = input.noDate === true || input.noDate === 'on';
    // One date is a window of one day.
    const from = noDate ? null : input.from;
    const to = noDate ? null : (input.to ?? input.from);
    if (!noDate && from === null && to === null) return { ok: false, reason: 'no_date' };
    const checked = checkEtaMove({ from, to, reason: input.reason });
    if (!checked.ok) return checked;
    const preview = await previewSkuMove(db, { sku: input.sku, ...checked.move }, now);
    if (!preview.ok) return preview;
    const { ok: _, ...plan } = preview;
    if (input.previewOnly) return { ok: true, preview: plan };
    const expectedLines = PREVIEW_GROUPS.reduce((n, g) => n + plan.groups[g].count, 0);
    const jobId = await startSkuMoveJob(db, { sku: input.sku, from, to, reason: input.reason, actor, expectedLines });
    return { ok: true, jobId, expectedLines };
  },
});
