import { SANDBOX_ACCESS_TOKEN, SANDBOX_PHONE_NUMBER_ID, type SandboxHandle } from '../../../electron/core/sandbox';

export interface GraphResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A tiny Graph client for the tests: JSON in, status + parsed JSON out. */
export async function graph(
  sb: SandboxHandle,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = SANDBOX_ACCESS_TOKEN,
): Promise<GraphResponse> {
  const res = await fetch(`${sb.baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export function templateSend(to: string, name: string, language: string, components?: unknown[], extra: Record<string, unknown> = {}) {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: { name, language: { code: language }, ...(components ? { components } : {}) },
    ...extra,
  };
}

export const orderUpdate = (to: string, extra: Record<string, unknown> = {}, values = ['Jessica', 'SKBUP2-4CPIG9', 'Friday']) =>
  templateSend(
    to,
    'order_update',
    'en_US',
    [
      { type: 'header', parameters: [{ type: 'text', text: 'A-1001' }] },
      { type: 'body', parameters: values.map((text) => ({ type: 'text', text })) },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A-1001' }] },
    ],
    extra,
  );

export const send = (sb: SandboxHandle, body: unknown, phoneId: string = SANDBOX_PHONE_NUMBER_ID, version = 'v24.0') =>
  graph(sb, 'POST', `/${version}/${phoneId}/messages`, body);
