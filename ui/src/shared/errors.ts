import { ApiFailure } from '../api/client';
import type { Reason } from '../api/types';

/** The translate function of svelte-i18n (`$_`). */
export type Translate = (key: string, options?: { values?: Record<string, string | number> }) => string;

const KNOWN = [
  'forbidden',
  'illegal_transition',
  'invalid_input',
  'duplicate',
  'conflict',
  'not_found',
  'signed_out',
  'bad_login',
  'unreachable',
  'credential_store',
  'unsent_changes',
  'password_needed',
  'team_mode',
  'unsupported',
];

/** A refusal in the member's language, its parameters translated where they are codes. */
export function reasonText(r: Reason, t: Translate): string {
  const values: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(r)) {
    if (k !== 'code') values[k] = Array.isArray(v) ? v.join(', ') : (v as string | number);
  }
  switch (r.code) {
    case 'forbidden':
      values.action = t(`permission.${r.action}`);
      break;
    case 'not_in_team_mode':
      values.feature = t(`feature.${r.feature}`);
      break;
    case 'illegal_move':
      values.from = t(`stage.${r.from}`);
      values.to = t(`stage.${r.to}`);
      values.hint = t(`move_hint.${r.hint}`);
      break;
    case 'request_decided':
      values.status = t(`transfer_status.${r.status}`);
      break;
    case 'already_priority':
      values.priority = t(`priority.${r.priority}`);
      break;
    case 'tier_twice':
      values.tier = t(`tier.${r.tier}`);
      break;
    case 'target_out_of_range':
    case 'target_twice':
      values.metric = t(`measures.metric.${r.metric}`);
      break;
    default:
      break;
  }
  return t(`reason.${r.code}`, { values });
}

/** What a failure says to a person, in their language. */
export function explain(e: unknown, t: Translate): string {
  const f = e instanceof ApiFailure ? e : new ApiFailure({ code: 'generic', message: String(e), field: null, reason: null });
  if (f.reason) return reasonText(f.reason, t);
  const key = KNOWN.includes(f.code) ? `errors.${f.code}` : 'errors.generic';
  return t(key, { values: { message: f.message } });
}

/** The form field a failure is about, if any. */
export function fieldOf(e: unknown): string | null {
  return e instanceof ApiFailure ? e.field : null;
}
