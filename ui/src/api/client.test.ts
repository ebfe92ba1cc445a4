import { describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

import { ApiFailure, toFailure } from './client';

describe('toFailure', () => {
  it('keeps the code and field of a command error', () => {
    const f = toFailure({ code: 'duplicate', message: 'name: taken', field: 'name' });
    expect(f).toBeInstanceOf(ApiFailure);
    expect([f.code, f.field, f.message]).toEqual(['duplicate', 'name', 'name: taken']);
  });
  it('turns a bare string rejection (bad arguments) into invalid_request', () => {
    const f = toFailure('invalid args `to` for command `move_ticket`: unknown variant `flying`');
    expect(f.code).toBe('invalid_request');
    expect(f.field).toBeNull();
    expect(f.message).toContain('unknown variant');
  });
});
