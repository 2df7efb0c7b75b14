/**
 * Click events for marketing messages (Meta "Tracking click events", 2026-06-30): when a user
 * clicks the body or the URL button of a marketing message, Meta posts a `messages` webhook whose
 * value carries `user_actions[]` with `action_type: "marketing_messages_link_click"`, the click's
 * time and `marketing_messages_link_click_data {click_component, click_id, tracking_token,
 * product_id}`. Limited availability; messages of the last 7 days only.
 *
 * The Sandbox clicks a configurable share (`clicks.rate`, or per user `users[].clicks`) of READ
 * marketing messages whose template has a URL button, some time after the read. Meta's documented
 * payload names neither the message nor the user; with `clicks.tie_to_message` (default) the
 * Sandbox adds `context.id` (the wamid) and `from`, which is what lets Pacer show a per-recipient
 * click time — set it false to emit exactly the documented shape (Pacer then counts the click for
 * the account but cannot place it).
 */
import type { Rng } from './rng';

export interface ClickSettings {
  rate: number;
  delay_ms: [number, number];
  tie_to_message: boolean;
}

export interface ClickSource {
  wamid: string;
  waId: string;
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  /** Template category and whether it has a URL button. */
  category: string;
  hasUrlButton: boolean;
  /** The user's own setting (scenario users[].clicks), overriding the rate. */
  userClicks: boolean | undefined;
}

export interface ClickPorts {
  rng: Rng;
  clockNow(): number;
  after(ms: number, fn: () => void): void;
  /** Schedules one webhook update, built when due. */
  post(wabaId: string, build: () => { summary: string; envelope: { object: string; entry: unknown[] } }): void;
}

export class SandboxClicks {
  /** Clicks emitted, for the admin stats and tests. */
  emitted = 0;
  private readonly clicked = new Set<string>();

  readonly settings: ClickSettings;

  constructor(
    settings: ClickSettings,
    private readonly ports: ClickPorts,
  ) {
    this.settings = { ...settings, delay_ms: [...settings.delay_ms] };
  }

  /** A message was read: maybe click it later (once per message). */
  onRead(m: ClickSource): void {
    if (m.category.toUpperCase() !== 'MARKETING' || !m.hasUrlButton || this.clicked.has(m.wamid)) return;
    const will = m.userClicks ?? (this.settings.rate > 0 && this.ports.rng.chance(this.settings.rate));
    if (!will) return;
    this.clicked.add(m.wamid);
    const [min, max] = this.settings.delay_ms;
    const delay = this.ports.rng.int(Math.round(min), Math.round(max));
    const clickId = `clk_${this.ports.rng.hex(12)}`;
    const token = this.ports.rng.hex(16);
    this.ports.after(delay, () => {
      const at = Math.floor(this.ports.clockNow() / 1000);
      this.emitted++;
      this.ports.post(m.wabaId, () => ({
        summary: `user_actions:marketing_messages_link_click ${m.wamid}`,
        envelope: {
          object: 'whatsapp_business_account',
          entry: [
            {
              id: m.wabaId,
              changes: [
                {
                  field: 'messages',
                  value: {
                    messaging_product: 'whatsapp',
                    metadata: { display_phone_number: m.displayPhoneNumber, phone_number_id: m.phoneNumberId },
                    user_actions: [
                      {
                        action_type: 'marketing_messages_link_click',
                        timestamp: String(at),
                        marketing_messages_link_click_data: { click_component: 'cta', click_id: clickId, tracking_token: token },
                        ...(this.settings.tie_to_message ? { context: { id: m.wamid }, from: m.waId } : {}),
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      }));
    });
  }
}
