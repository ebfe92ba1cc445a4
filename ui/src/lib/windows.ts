// Between the app's windows: the board asks the main window to show tickets.
import { emitTo, listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { PoolFilters } from '../queue/filters';

/** The main window shows the pool with these filters (the rest as a fresh pool). */
export const SHOW_POOL = 'show-pool';

export function showPool(preset: Partial<PoolFilters>): Promise<void> {
  return emitTo('main', SHOW_POOL, preset);
}

export function onShowPool(fn: (preset: Partial<PoolFilters>) => void): Promise<UnlistenFn> {
  return listen<Partial<PoolFilters>>(SHOW_POOL, (e) => fn(e.payload));
}
