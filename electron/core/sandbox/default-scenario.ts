import type { Scenario } from './scenario';

/**
 * The built-in scenario: one verified portfolio at the 2K limit, one WABA with three numbers
 * (US, Israel, Taiwan), templates in English, Hebrew and Traditional Chinese, and a handful of
 * recipients that exercise each async failure and reply path. These ids and secrets are FAKE and
 * only ever valid against the sandbox.
 */
export const SANDBOX_ACCESS_TOKEN = 'EAAPacerSandboxAccessToken0000000000000000000000';
export const SANDBOX_APP_SECRET = 'pacer-sandbox-app-secret-0000000000';
export const SANDBOX_VERIFY_TOKEN = 'pacer-sandbox-verify-token';
export const SANDBOX_APP_ID = '1000000000000001';
export const SANDBOX_BUSINESS_ID = '2000000000000001';
export const SANDBOX_WABA_ID = '3000000000000001';
export const SANDBOX_PHONE_NUMBER_IDS = {
  /** +1 555-010-0100, the default sender. */
  us: '4000000000000001',
  /** +972 3-555-0100 */
  il: '4000000000000002',
  /** +886 2 5555 0100 */
  tw: '4000000000000003',
} as const;
export const SANDBOX_PHONE_NUMBER_ID = SANDBOX_PHONE_NUMBER_IDS.us;

/** Recipients with scripted behaviour in the default scenario (anyone else just receives). */
export const SANDBOX_RECIPIENTS = {
  undeliverable: '+972500000026',
  marketingStopped: '+972500000050',
  marketingCapReached: '+972500000049',
  experimentHoldout: '+972500000472',
  /** Never comes online: `sent` only. */
  offline: '+972500000404',
  /** Replies "הסר" (Hebrew STOP) a minute after the first delivered template. */
  stopTextHe: '+972500000101',
  /** Taps the "停止推廣" quick-reply button a minute after the first delivered template. */
  stopButtonZh: '+886900000102',
  /** Replies "STOP" in English. */
  stopTextEn: '+447700900103',
  /** Turns marketing off in WhatsApp's own settings (user_preferences stop). */
  preferenceStop: '+972500000104',
  /** Replies with a question (opens a customer-service window). */
  repliesText: '+972500000105',
  /** Always reads. */
  reader: '+972500000106',
  /** Brazil: Meta answers with a different wa_id (no extra 9). */
  brazilRewrite: '+5511987654321',
} as const;

const imageExample = { header_handle: ['https://sandbox.pacer.invalid/examples/spring-sale.jpg'] };

export const DEFAULT_SCENARIO: Scenario = {
  name: 'default',
  description: 'Pacer demo portfolio: 3 numbers, templates in en/he/zh_TW, 2K messaging limit.',
  credentials: {
    access_token: SANDBOX_ACCESS_TOKEN,
    app_secret: SANDBOX_APP_SECRET,
    app_id: SANDBOX_APP_ID,
    app_name: 'Pacer Sandbox App',
    verify_token: SANDBOX_VERIFY_TOKEN,
  },
  business: { id: SANDBOX_BUSINESS_ID, name: 'Acme Outdoor Ltd.', messaging_limit: 'TIER_2K', verification_status: 'verified' },
  wabas: [
    {
      id: SANDBOX_WABA_ID,
      name: 'Acme Outdoor',
      currency: 'USD',
      timezone_id: '1',
      message_template_namespace: '7c2a3b1e_5f4d_4e2a_9b8c_1d2e3f4a5b6c',
      phone_numbers: [
        {
          id: SANDBOX_PHONE_NUMBER_IDS.us,
          display_phone_number: '+1 555-010-0100',
          verified_name: 'Acme Outdoor',
          quality_rating: 'GREEN',
          business_profile: {
            about: 'Gear for every trail.',
            address: '100 Market St, San Francisco, CA',
            description: 'Outdoor equipment and apparel since 1998.',
            email: 'hello@acme-outdoor.example',
            websites: ['https://acme-outdoor.example'],
            vertical: 'RETAIL',
          },
        },
        {
          id: SANDBOX_PHONE_NUMBER_IDS.il,
          display_phone_number: '+972 3-555-0100',
          verified_name: 'אקמי אאוטדור',
          quality_rating: 'YELLOW',
          business_profile: {
            about: 'ציוד לכל שביל.',
            address: 'רחוב הרצל 1, תל אביב',
            email: 'il@acme-outdoor.example',
            vertical: 'RETAIL',
          },
        },
        {
          id: SANDBOX_PHONE_NUMBER_IDS.tw,
          display_phone_number: '+886 2 5555 0100',
          verified_name: 'Acme 戶外用品',
          quality_rating: 'UNKNOWN',
          name_status: 'PENDING_REVIEW',
          business_profile: { about: '每條步道都有好裝備。', vertical: 'RETAIL' },
        },
      ],
      templates: [
        {
          id: '5000000000000001',
          name: 'order_update',
          language: 'en_US',
          category: 'UTILITY',
          status: 'APPROVED',
          quality_score: 'GREEN',
          components: [
            { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['SKBUP2-4CPIG9'] } },
            {
              type: 'BODY',
              text: 'Hi {{1}}, your order {{2}} has shipped and should arrive by {{3}}.',
              example: { body_text: [['Jessica', 'SKBUP2-4CPIG9', 'Friday']] },
            },
            { type: 'FOOTER', text: 'Acme Outdoor' },
            {
              type: 'BUTTONS',
              buttons: [
                {
                  type: 'URL',
                  text: 'Track order',
                  url: 'https://acme-outdoor.example/track/{{1}}',
                  example: ['https://acme-outdoor.example/track/SKBUP2'],
                },
              ],
            },
          ],
        },
        {
          id: '5000000000000002',
          name: 'spring_sale',
          language: 'en_US',
          category: 'MARKETING',
          status: 'APPROVED',
          quality_score: 'YELLOW',
          parameter_format: 'NAMED',
          components: [
            { type: 'HEADER', format: 'IMAGE', example: imageExample },
            {
              type: 'BODY',
              text: 'Hi {{first_name}}, our spring sale is on: {{discount}} off all tents until {{end_date}}.',
              example: {
                body_text_named_params: [
                  { param_name: 'first_name', example: 'Dana' },
                  { param_name: 'discount', example: '20%' },
                  { param_name: 'end_date', example: 'April 30' },
                ],
              },
            },
            { type: 'FOOTER', text: 'Reply STOP to unsubscribe' },
            {
              type: 'BUTTONS',
              buttons: [
                { type: 'QUICK_REPLY', text: 'Shop now' },
                { type: 'QUICK_REPLY', text: 'Stop promotions' },
              ],
            },
          ],
        },
        {
          id: '5000000000000003',
          name: 'spring_sale',
          language: 'he',
          category: 'MARKETING',
          status: 'APPROVED',
          quality_score: 'GREEN',
          parameter_format: 'NAMED',
          components: [
            { type: 'HEADER', format: 'IMAGE', example: imageExample },
            {
              type: 'BODY',
              text: 'שלום {{first_name}}, מבצע האביב שלנו כאן: {{discount}} הנחה על כל האוהלים עד {{end_date}}.',
              example: {
                body_text_named_params: [
                  { param_name: 'first_name', example: 'דנה' },
                  { param_name: 'discount', example: '20%' },
                  { param_name: 'end_date', example: '30 באפריל' },
                ],
              },
            },
            { type: 'FOOTER', text: 'להסרה השיבו הסר' },
            {
              type: 'BUTTONS',
              buttons: [
                { type: 'QUICK_REPLY', text: 'לקנייה' },
                { type: 'QUICK_REPLY', text: 'הפסקת מבצעים' },
              ],
            },
          ],
        },
        {
          id: '5000000000000004',
          name: 'spring_sale',
          language: 'zh_TW',
          category: 'MARKETING',
          status: 'APPROVED',
          quality_score: 'UNKNOWN',
          parameter_format: 'NAMED',
          components: [
            { type: 'HEADER', format: 'IMAGE', example: imageExample },
            {
              type: 'BODY',
              text: '{{first_name}}您好，春季特賣開始了：所有帳篷 {{discount}} 折扣，至 {{end_date}} 為止。',
              example: {
                body_text_named_params: [
                  { param_name: 'first_name', example: '小明' },
                  { param_name: 'discount', example: '八折' },
                  { param_name: 'end_date', example: '4月30日' },
                ],
              },
            },
            { type: 'FOOTER', text: '回覆「停止」即可取消訂閱' },
            {
              type: 'BUTTONS',
              buttons: [
                { type: 'QUICK_REPLY', text: '立即選購' },
                { type: 'QUICK_REPLY', text: '停止推廣' },
              ],
            },
          ],
        },
        {
          id: '5000000000000005',
          name: 'appointment_reminder',
          language: 'he',
          category: 'UTILITY',
          status: 'APPROVED',
          quality_score: 'GREEN',
          components: [
            {
              type: 'BODY',
              text: 'שלום {{1}}, תזכורת: התור שלך בסניף {{2}} נקבע ל-{{3}}.',
              example: { body_text: [['דנה', 'תל אביב', '12/05 10:30']] },
            },
            {
              type: 'BUTTONS',
              buttons: [
                { type: 'QUICK_REPLY', text: 'אישור' },
                { type: 'QUICK_REPLY', text: 'שינוי מועד' },
              ],
            },
          ],
        },
        {
          id: '5000000000000006',
          name: 'appointment_reminder',
          language: 'zh_TW',
          category: 'UTILITY',
          status: 'APPROVED',
          quality_score: 'GREEN',
          components: [
            {
              type: 'BODY',
              text: '{{1}}您好，提醒您：您在{{2}}門市的預約時間為{{3}}。',
              example: { body_text: [['小明', '台北', '5/12 10:30']] },
            },
            {
              type: 'BUTTONS',
              buttons: [
                { type: 'QUICK_REPLY', text: '確認' },
                { type: 'QUICK_REPLY', text: '更改時間' },
              ],
            },
          ],
        },
        {
          id: '5000000000000007',
          name: 'appointment_reminder',
          language: 'en_US',
          category: 'UTILITY',
          status: 'APPROVED',
          quality_score: 'GREEN',
          components: [
            {
              type: 'BODY',
              text: 'Hi {{1}}, a reminder: your appointment at our {{2}} store is on {{3}}.',
              example: { body_text: [['Dana', 'Tel Aviv', 'May 12, 10:30']] },
            },
            {
              type: 'BUTTONS',
              buttons: [
                { type: 'QUICK_REPLY', text: 'Confirm' },
                { type: 'QUICK_REPLY', text: 'Reschedule' },
              ],
            },
          ],
        },
        {
          id: '5000000000000008',
          name: 'winter_clearance',
          language: 'en_US',
          category: 'MARKETING',
          status: 'PAUSED',
          quality_score: 'RED',
          pause_count: 1,
          components: [
            { type: 'BODY', text: 'Winter clearance! Everything {{1}} off this weekend only.', example: { body_text: [['50%']] } },
            { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }] },
          ],
        },
        {
          id: '5000000000000009',
          name: 'account_bonus',
          language: 'en_US',
          category: 'UTILITY',
          status: 'REJECTED',
          quality_score: 'UNKNOWN',
          rejected_reason: 'INCORRECT_CATEGORY',
          components: [
            {
              type: 'BODY',
              text: 'Congratulations {{1}}! Claim your {{2}} bonus credit today.',
              example: { body_text: [['Dana', '$10']] },
            },
          ],
        },
        {
          id: '5000000000000010',
          name: 'loyalty_points',
          language: 'en_US',
          category: 'MARKETING',
          status: 'PENDING',
          quality_score: 'UNKNOWN',
          components: [
            { type: 'BODY', text: 'Hi {{1}}, you have {{2}} loyalty points waiting.', example: { body_text: [['Dana', '1,200']] } },
          ],
        },
        {
          id: '5000000000000011',
          name: 'black_friday_2025',
          language: 'en_US',
          category: 'MARKETING',
          status: 'DISABLED',
          quality_score: 'RED',
          pause_count: 2,
          components: [{ type: 'BODY', text: 'Black Friday: {{1}} off everything!', example: { body_text: [['40%']] } }],
        },
        {
          id: '5000000000000012',
          name: 'catalog_pdf',
          language: 'en_US',
          category: 'MARKETING',
          status: 'APPROVED',
          quality_score: 'GREEN',
          components: [
            { type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['https://sandbox.pacer.invalid/examples/catalog.pdf'] } },
            { type: 'BODY', text: 'Hi {{1}}, here is our new summer catalog.', example: { body_text: [['Dana']] } },
          ],
        },
      ],
    },
  ],
  users: [
    { phone: SANDBOX_RECIPIENTS.undeliverable, name: 'Not On WhatsApp', undeliverable: true },
    { phone: SANDBOX_RECIPIENTS.marketingStopped, name: 'Stopped Marketing', marketing_stopped: true },
    { phone: SANDBOX_RECIPIENTS.marketingCapReached, name: 'Capped User', marketing_cap_reached: true },
    { phone: SANDBOX_RECIPIENTS.experimentHoldout, name: 'Holdout User', experiment_holdout: true },
    { phone: SANDBOX_RECIPIENTS.offline, name: 'Offline User', offline: true },
    { phone: SANDBOX_RECIPIENTS.stopTextHe, name: 'נועה', reply: { after_ms: 60_000, kind: 'stop_text', language: 'he' } },
    { phone: SANDBOX_RECIPIENTS.stopButtonZh, name: '小明', reply: { after_ms: 60_000, kind: 'stop_button', language: 'zh' } },
    { phone: SANDBOX_RECIPIENTS.stopTextEn, name: 'Oliver', reply: { after_ms: 60_000, kind: 'stop_text', language: 'en' } },
    { phone: SANDBOX_RECIPIENTS.preferenceStop, name: 'Yael', reply: { after_ms: 120_000, kind: 'preference_stop', language: 'he' } },
    {
      phone: SANDBOX_RECIPIENTS.repliesText,
      name: 'Avi',
      reply: { after_ms: 45_000, kind: 'text', text: 'מתי המבצע נגמר?', language: 'he' },
    },
    { phone: SANDBOX_RECIPIENTS.reader, name: 'Reader', reads: true },
    { phone: SANDBOX_RECIPIENTS.brazilRewrite, wa_id: '551187654321', name: 'João' },
  ],
  limits: {},
  delivery: {},
  webhooks: {},
  faults: {},
  timeline: [],
};
