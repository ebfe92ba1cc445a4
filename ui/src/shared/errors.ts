import { ApiFailure } from '../api/client';

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

/** The i18n key and values that describe a failure to a person. */
export function describe(e: unknown): { key: string; values: Record<string, string> } {
  const f = e instanceof ApiFailure ? e : new ApiFailure({ code: 'generic', message: String(e), field: null });
  const key = KNOWN.includes(f.code) ? `errors.${f.code}` : 'errors.generic';
  return { key, values: { message: f.message } };
}

/** The form field a failure is about, if any. */
export function fieldOf(e: unknown): string | null {
  return e instanceof ApiFailure ? e.field : null;
}
