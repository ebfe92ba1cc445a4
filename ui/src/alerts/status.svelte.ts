// The member's alert status (near-breach and breached counts, do-not-disturb), followed
// once for the whole window: the header's counts and the member menu read the same copy.
import { api, onSlaStatus } from '../api/client';
import type { AlertStatus } from '../api/types';

export const alerts = $state<{ status: AlertStatus | null }>({ status: null });

/** Follows the status while the shell is shown; returns the stop, for a `$effect`. */
export function followAlerts(onError: (e: unknown) => void): () => void {
  api.alertStatus().then((s) => (alerts.status = s), onError);
  const off = onSlaStatus((s) => (alerts.status = s));
  return () => {
    off.then((f) => f());
  };
}

/** Mutes near-breach pop-ups for `minutes` (0 turns them back on). */
export async function mute(minutes: number, onError: (e: unknown) => void): Promise<void> {
  try {
    alerts.status = await api.setDnd(minutes);
  } catch (e) {
    onError(e);
  }
}
