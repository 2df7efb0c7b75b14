import { describe, expect, it, vi } from 'vitest';

// The real 'electron' module would try to download its binary; these are pure helpers.
vi.mock('electron', () => ({ app: {}, session: {}, shell: {}, ipcMain: { handle: vi.fn() } }));
const { isAllowedExternal, isOwnOrigin } = await import('../../../electron/main/security');
const { isTrustedSender } = await import('../../../electron/main/ipc');

describe('electron security helpers', () => {
  it('opens only allow-listed https origins, parsed (not prefix-matched)', () => {
    expect(isAllowedExternal('https://business.facebook.com/settings')).toBe(true);
    expect(isAllowedExternal('https://business.facebook.com.evil.example/')).toBe(false);
    expect(isAllowedExternal('http://business.facebook.com/')).toBe(false);
    expect(isAllowedExternal('https://user:pw@business.facebook.com/')).toBe(false);
    expect(isAllowedExternal('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternal('not a url')).toBe(false);
  });

  it('treats only app://pacer as our origin', () => {
    expect(isOwnOrigin('app://pacer/index.html')).toBe(true);
    expect(isOwnOrigin('app://pacer.evil/index.html')).toBe(false);
    expect(isOwnOrigin('https://pacer/')).toBe(false);
  });

  it('accepts IPC only from our top-level frame', () => {
    const ev = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } }) as never;
    expect(isTrustedSender(ev('app://pacer/index.html'))).toBe(true);
    expect(isTrustedSender(ev('app://pacer/index.html', {}))).toBe(false);
    expect(isTrustedSender(ev('https://evil.example/'))).toBe(false);
    expect(isTrustedSender({ senderFrame: null } as never)).toBe(false);
  });
});
