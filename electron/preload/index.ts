// The preload exposes exactly the contract: one named function per method and per event, nothing
// else (no ipcRenderer, no generic send/on). Listeners receive the payload only, never the event.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { eventNames, methodNames, type PreloadBridge } from '../../shared/contract';

const methodsApi: Record<string, (input: unknown) => Promise<unknown>> = {};
for (const name of methodNames) methodsApi[name] = (input: unknown) => ipcRenderer.invoke(name, input);

const eventsApi: Record<string, (listener: (payload: unknown) => void) => () => void> = {};
for (const name of eventNames) {
  eventsApi[name] = (listener) => {
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(`event:${name}`, wrapped);
    return () => ipcRenderer.removeListener(`event:${name}`, wrapped);
  };
}

const bridge = {
  methods: methodsApi,
  events: eventsApi,
  uploadFile: (file: File) => ipcRenderer.invoke('files:stage-path', webUtils.getPathForFile(file)),
} as unknown as PreloadBridge;

contextBridge.exposeInMainWorld('pacer', bridge);
