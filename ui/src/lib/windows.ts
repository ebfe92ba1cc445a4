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

/** The shell asks the open board window to show a tab ("live", "review", "monthly"). */
export const BOARD_TAB = 'board-tab';

export function onBoardTab(fn: (tab: string) => void): Promise<UnlistenFn> {
  return listen<string>(BOARD_TAB, (e) => fn(e.payload));
}
