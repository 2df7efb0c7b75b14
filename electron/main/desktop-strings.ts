import { languageFromLocales, type Language, type Settings } from '../../shared/settings';

/** The few strings main shows itself (tray, dialogs, OS notifications) — the renderer has the rest. */
const STRINGS = {
  en: {
    show: 'Show Pacer',
    quit: 'Quit Pacer',
    sending: (n: number) => `Pacer — sending ${n} campaign${n === 1 ? '' : 's'}`,
    idle: 'Pacer',
    quitTitle: 'Campaigns are sending',
    quitBody: (n: number) => `${n} campaign${n === 1 ? ' is' : 's are'} sending. If you quit, sending stops now and resumes the next time you open Pacer. Nothing is sent twice.`,
    quitAnyway: 'Quit anyway',
    keepSending: 'Keep sending',
    alert: { paused: 'Campaign paused', resumed: 'Campaign resumed', completed: 'Campaign completed', account_halted: 'Sending stopped for the account' },
  },
  he: {
    show: 'הצגת Pacer',
    quit: 'יציאה מ-Pacer',
    sending: (n: number) => `Pacer — ${n} קמפיינים בשליחה`,
    idle: 'Pacer',
    quitTitle: 'יש קמפיינים בשליחה',
    quitBody: (n: number) => `${n} קמפיינים בשליחה. ביציאה השליחה תיעצר ותמשיך בפעם הבאה ש-Pacer ייפתח. שום הודעה לא תישלח פעמיים.`,
    quitAnyway: 'לצאת בכל זאת',
    keepSending: 'להמשיך לשלוח',
    alert: { paused: 'הקמפיין הושהה', resumed: 'הקמפיין חודש', completed: 'הקמפיין הסתיים', account_halted: 'השליחה מהחשבון נעצרה' },
  },
  'zh-TW': {
    show: '顯示 Pacer',
    quit: '結束 Pacer',
    sending: (n: number) => `Pacer — ${n} 個行銷活動發送中`,
    idle: 'Pacer',
    quitTitle: '行銷活動發送中',
    quitBody: (n: number) => `有 ${n} 個行銷活動正在發送。結束後發送會立即停止，並在下次開啟 Pacer 時繼續，不會重複發送。`,
    quitAnyway: '仍要結束',
    keepSending: '繼續發送',
    alert: { paused: '行銷活動已暫停', resumed: '行銷活動已繼續', completed: '行銷活動已完成', account_halted: '帳號已停止發送' },
  },
} satisfies Record<Language, unknown>;

export function desktopStrings(settings: Settings, systemLocales: string[]) {
  const lang = settings.language === 'system' ? languageFromLocales(systemLocales) : settings.language;
  return STRINGS[lang];
}
