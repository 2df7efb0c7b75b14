import type { SandboxLauncher } from './sandbox-link';

/**
 * The in-process Cloud API emulator, loaded only when asked for ("Use Sandbox", or a sandbox
 * connection after a restart). The composition root gives it to AccountService; tests may give
 * another launcher.
 */
export const builtinSandboxLauncher: SandboxLauncher = async (opts) => {
  const sb = await import('../sandbox/index');
  const handle = await sb.startSandbox({
    clock: opts.clock,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.webhookUrl ? { webhookUrl: opts.webhookUrl } : {}),
  });
  const wabaId = handle.ids.wabaIds.includes(sb.SANDBOX_WABA_ID) ? sb.SANDBOX_WABA_ID : handle.ids.wabaIds[0]!;
  const phoneNumberId = handle.ids.phoneNumberIds.includes(sb.SANDBOX_PHONE_NUMBER_ID)
    ? sb.SANDBOX_PHONE_NUMBER_ID
    : handle.ids.phoneNumberIds[0]!;
  return {
    runtime: { baseUrl: handle.baseUrl, close: () => handle.close(), setWebhookUrl: (url) => handle.setWebhook({ url }), handle },
    credentials: {
      accessToken: handle.credentials.accessToken,
      appSecret: handle.credentials.appSecret,
      verifyToken: handle.credentials.verifyToken ?? sb.SANDBOX_VERIFY_TOKEN,
      wabaId,
      phoneNumberId,
    },
  };
};
