// Scores as the core sends them: tenths (47 is 4.7).
import type { FeedbackFigures, Tenths } from '../api/types';

/** "4.7"; an em dash without a score. */
export function tenths(t: Tenths | null | undefined): string {
  if (t === null || t === undefined) return '—';
  return `${Math.floor(t / 10)}.${t % 10}`;
}

/** The share of answers saying the problem was solved, as "85%"; a dash without answers. */
export function solvedShare(f: FeedbackFigures): string {
  if (f.answers === 0) return '—';
  return `${Math.round((f.solved * 100) / f.answers)}%`;
}

/** The overall score of three whole scores, the core's rule: the mean to the nearest tenth. */
export function overallOf(speed: number, professionalism: number, resolution: number): Tenths {
  return Math.floor(((speed + professionalism + resolution) * 20 + 3) / 6);
}
