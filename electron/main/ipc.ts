import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { eventNames, fail, methodNames, methods, type MethodName } from '../../shared/contract';
import { isOwnOrigin } from './security';

/**
 * Checklist item 17: every IPC call must come from our own top-level frame (VS Code's
 * validatedIpcMain). Input is parsed with the contract's schema here and again in the core.
 */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isOwnOrigin(frame.url);
}

export interface CoreLink {
  call(method: MethodName, input: unknown): Promise<unknown>;
  stagePath(path: string): Promise<unknown>;
}

export function registerIpc(core: CoreLink): void {
  for (const name of methodNames) {
    ipcMain.handle(name, async (event, input: unknown) => {
      if (!isTrustedSender(event)) return fail('forbidden', 'Untrusted sender');
      const parsed = methods[name].input.safeParse(input ?? {});
      if (!parsed.success) return fail('bad_input', parsed.error.issues[0]?.message ?? 'Invalid input');
      return core.call(name, parsed.data);
    });
  }
  ipcMain.handle('files:stage-path', async (event, filePath: unknown) => {
    if (!isTrustedSender(event)) return fail('forbidden', 'Untrusted sender');
    if (typeof filePath !== 'string' || !filePath) return fail('bad_input', 'No file');
    return core.stagePath(filePath);
  });
}

/** Forwards a core event to the window: payload only, on the event's own channel. */
export function forwardEvent(target: WebContents | null, event: string, payload: unknown): void {
  if (!target || target.isDestroyed()) return;
  if ((eventNames as readonly string[]).includes(event)) target.send(`event:${event}`, payload);
}
