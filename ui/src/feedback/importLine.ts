// A row of an imported results file that was not recorded, said in the member's language:
// which line, which ticket and column, and why.
import type { ImportLine } from '../api/types';
import { reasonText, type Translate } from '../shared/errors';

/** The interface's own name of each column an import reads. */
const COLUMN: Record<string, string> = {
  number: 'pool.col_number',
  answered_at: 'feedback.answered',
  speed: 'feedback.speed',
  professionalism: 'feedback.professionalism',
  resolution: 'feedback.resolution',
  solved: 'feedback.solved',
};

export function importLineText(l: ImportLine, t: Translate): string {
  const line = t('feedback.line', { values: { line: l.line } });
  const column = l.column ? t(COLUMN[l.column] ?? l.column) : null;
  const what = [l.number, column].filter((x): x is string => !!x).join(t('feedback.import_sep'));
  const why = reasonText(l.why, t);
  return what ? t('feedback.import_line', { values: { line, what, why } }) : t('feedback.import_line_bare', { values: { line, why } });
}
