// The sweep's use of an ETA move: a line reached T unshipped with no notice sent while its ETA says later.
import type { Tx } from '#db/client.ts';
import type { EtaWindow } from '#src/domain/eta-window.ts';
import { SYSTEM } from '../commands/actor.ts';
import type { StoreSettings } from '../store/store-settings.ts';
import { moveLineInTx } from './classify-and-write-chunk.ts';

/**
 * Sends the first delay option notice now, in the caller's transaction, against the ETA the line already has
 * (435.2(b)(1): "in no event later than said applicable time").
 */
export async function sendDueNoticeInTx(tx: Tx, lineId: number, eta: EtaWindow, reason: string, now: Date, settings: StoreSettings) {
  return moveLineInTx(tx, { kind: 'line', lineId, sameEta: true }, eta, reason, SYSTEM, now, settings);
}
