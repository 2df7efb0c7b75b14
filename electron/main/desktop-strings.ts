import type { StoreKeyParams } from '../core/db/cipher';
import { languageFromLocales, type Language, type Settings } from '../../shared/settings';

/**
 * The few strings main shows itself (tray, dialogs, OS notifications, the menu, the startup error
 * window, errors main answers for a stopped engine) — the renderer has the rest.
 */
const STRINGS = {
  en: {
    show: 'Show Pacer',
    quit: 'Quit Pacer',
    sending: (n: number) => `Pacer — sending ${n} campaign${n === 1 ? '' : 's'}`,
    idle: 'Pacer',
    quitTitle: 'Campaigns are sending',
    quitBody: (n: number) =>
      `${n} campaign${n === 1 ? ' is' : 's are'} sending. If you quit, sending stops now and resumes the next time you open Pacer. Nothing is sent twice.`,
    quitAnyway: 'Quit anyway',
    keepSending: 'Keep sending',
    closeBody: (n: number) =>
      `${n} campaign${n === 1 ? ' is' : 's are'} sending, and Pacer cannot hide in the notification area on this desktop. Keep Pacer open (minimised) to go on sending, or quit: sending stops now and resumes the next time you open Pacer. Nothing is sent twice.`,
    keepMinimised: 'Keep sending (minimise)',
    quitAndStop: 'Quit and stop sending',
    alert: {
      paused: 'Campaign paused',
      resumed: 'Campaign resumed',
      completed: 'Campaign completed',
      account_halted: 'Sending stopped for the account',
    },
    engineRestarting: "Pacer's engine stopped and is restarting. Try again in a moment.",
    engineStopped: "Pacer's engine stopped several times and was not restarted. Quit Pacer and open it again.",
    startup: {
      title: 'Pacer could not start',
      reason: 'What went wrong:',
      log: 'Details are in the log file:',
      noLog: 'No log file could be written.',
      brokenFile: 'This file could not be read:',
      keyWhere: {
        key_file: (p: string) => `the key file ${p}`,
        env: 'the PACER_DB_KEY environment variable',
        keychain: "the system keychain (Pacer's secrets.json)",
        memory: 'memory',
      },
      storeKeyMissing: (file: string, where: string) =>
        `Your contacts are stored encrypted in ${file}, and its key was not found in ${where}. Pacer did not open or change the file. Restore the key (for example the system keychain from a backup of this computer) and open Pacer again.`,
      storeKeyWrong: (file: string, where: string) =>
        `Your contacts are stored encrypted in ${file}, but the key in ${where} does not open it (or the file is damaged). Pacer did not change the file.`,
      reset: 'Put this file aside and restart',
      resetNote: 'The file is kept next to it under a new name ending in .broken-<date>, and Pacer starts with a fresh one.',
      quit: 'Quit',
    },
    menu: {
      about: 'About Pacer',
      hide: 'Hide Pacer',
      hideOthers: 'Hide Others',
      unhide: 'Show All',
      quit: 'Quit Pacer',
      file: 'File',
      close: 'Close Window',
      edit: 'Edit',
      undo: 'Undo',
      redo: 'Redo',
      cut: 'Cut',
      copy: 'Copy',
      paste: 'Paste',
      selectAll: 'Select All',
      view: 'View',
      zoomIn: 'Zoom In',
      zoomOut: 'Zoom Out',
      resetZoom: 'Actual Size',
      fullScreen: 'Toggle Full Screen',
      devTools: 'Developer Tools',
      window: 'Window',
      minimize: 'Minimise',
      zoom: 'Zoom',
      front: 'Bring All to Front',
    },
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
    closeBody: (n: number) =>
      `${n} קמפיינים בשליחה, ובשולחן העבודה הזה Pacer לא יכול להסתתר באזור ההודעות. השאירו את Pacer פתוח (ממוזער) כדי להמשיך לשלוח, או צאו: השליחה תיעצר ותמשיך בפעם הבאה ש-Pacer ייפתח. שום הודעה לא תישלח פעמיים.`,
    keepMinimised: 'להמשיך לשלוח (למזער)',
    quitAndStop: 'לצאת ולעצור את השליחה',
    alert: { paused: 'הקמפיין הושהה', resumed: 'הקמפיין חודש', completed: 'הקמפיין הסתיים', account_halted: 'השליחה מהחשבון נעצרה' },
    engineRestarting: 'המנוע של Pacer נעצר ומופעל מחדש. נסו שוב בעוד רגע.',
    engineStopped: 'המנוע של Pacer נעצר כמה פעמים ולא הופעל מחדש. צאו מ-Pacer ופתחו אותו שוב.',
    startup: {
      title: 'לא ניתן היה להפעיל את Pacer',
      reason: 'מה השתבש:',
      log: 'הפרטים נמצאים בקובץ היומן:',
      noLog: 'לא ניתן היה לכתוב קובץ יומן.',
      brokenFile: 'לא ניתן היה לקרוא את הקובץ הזה:',
      keyWhere: {
        key_file: (p: string) => `קובץ המפתח ${p}`,
        env: 'משתנה הסביבה PACER_DB_KEY',
        keychain: 'מחזיק המפתחות של המערכת (secrets.json של Pacer)',
        memory: 'הזיכרון',
      },
      storeKeyMissing: (file: string, where: string) =>
        `אנשי הקשר שלכם שמורים מוצפנים בקובץ ${file}, והמפתח שלו לא נמצא ב־${where}. Pacer לא פתח ולא שינה את הקובץ. שחזרו את המפתח (למשל את מחזיק המפתחות של המערכת מגיבוי של המחשב) ופתחו את Pacer שוב.`,
      storeKeyWrong: (file: string, where: string) =>
        `אנשי הקשר שלכם שמורים מוצפנים בקובץ ${file}, אבל המפתח שב־${where} לא פותח אותו (או שהקובץ פגום). Pacer לא שינה את הקובץ.`,
      reset: 'להעביר את הקובץ הצידה ולהפעיל מחדש',
      resetNote: 'הקובץ נשמר לידו בשם חדש שמסתיים ב-‎.broken-<תאריך>, ו-Pacer מתחיל עם קובץ חדש.',
      quit: 'יציאה',
    },
    menu: {
      about: 'אודות Pacer',
      hide: 'הסתרת Pacer',
      hideOthers: 'הסתרת האחרים',
      unhide: 'הצגת הכול',
      quit: 'יציאה מ-Pacer',
      file: 'קובץ',
      close: 'סגירת החלון',
      edit: 'עריכה',
      undo: 'ביטול',
      redo: 'ביצוע חוזר',
      cut: 'גזירה',
      copy: 'העתקה',
      paste: 'הדבקה',
      selectAll: 'בחירת הכול',
      view: 'תצוגה',
      zoomIn: 'הגדלה',
      zoomOut: 'הקטנה',
      resetZoom: 'גודל רגיל',
      fullScreen: 'מסך מלא',
      devTools: 'כלי מפתחים',
      window: 'חלון',
      minimize: 'מזעור',
      zoom: 'הגדלת החלון',
      front: 'הבאת הכול לחזית',
    },
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
    closeBody: (n: number) =>
      `有 ${n} 個行銷活動正在發送，而在此桌面環境中 Pacer 無法隱藏到通知區域。請讓 Pacer 保持開啟（最小化）以繼續發送，或結束：發送會立即停止，並在下次開啟 Pacer 時繼續，不會重複發送。`,
    keepMinimised: '繼續發送（最小化）',
    quitAndStop: '結束並停止發送',
    alert: { paused: '行銷活動已暫停', resumed: '行銷活動已繼續', completed: '行銷活動已完成', account_halted: '帳號已停止發送' },
    engineRestarting: 'Pacer 的引擎已停止，正在重新啟動。請稍後再試。',
    engineStopped: 'Pacer 的引擎多次停止，未再重新啟動。請結束 Pacer 後重新開啟。',
    startup: {
      title: 'Pacer 無法啟動',
      reason: '發生的問題：',
      log: '詳細資訊在記錄檔中：',
      noLog: '無法寫入記錄檔。',
      brokenFile: '無法讀取此檔案：',
      keyWhere: {
        key_file: (p: string) => `金鑰檔案 ${p}`,
        env: '環境變數 PACER_DB_KEY',
        keychain: '系統鑰匙圈（Pacer 的 secrets.json）',
        memory: '記憶體',
      },
      storeKeyMissing: (file: string, where: string) =>
        `您的聯絡人以加密方式儲存在 ${file}，但在 ${where} 中找不到它的金鑰。Pacer 沒有開啟或變更此檔案。請還原金鑰（例如從這台電腦的備份還原系統鑰匙圈），然後再次開啟 Pacer。`,
      storeKeyWrong: (file: string, where: string) =>
        `您的聯絡人以加密方式儲存在 ${file}，但 ${where} 中的金鑰無法開啟它（或檔案已損毀）。Pacer 沒有變更此檔案。`,
      reset: '將此檔案移到一旁並重新啟動',
      resetNote: '檔案會以 .broken-<日期> 結尾的新名稱保留在原處，Pacer 會以新的檔案啟動。',
      quit: '結束',
    },
    menu: {
      about: '關於 Pacer',
      hide: '隱藏 Pacer',
      hideOthers: '隱藏其他',
      unhide: '全部顯示',
      quit: '結束 Pacer',
      file: '檔案',
      close: '關閉視窗',
      edit: '編輯',
      undo: '復原',
      redo: '重做',
      cut: '剪下',
      copy: '複製',
      paste: '貼上',
      selectAll: '全選',
      view: '顯示',
      zoomIn: '放大',
      zoomOut: '縮小',
      resetZoom: '實際大小',
      fullScreen: '切換全螢幕',
      devTools: '開發者工具',
      window: '視窗',
      minimize: '最小化',
      zoom: '縮放',
      front: '將全部移至最前',
    },
  },
} satisfies Record<Language, unknown>;

export type DesktopStrings = (typeof STRINGS)['en'];

export function desktopStrings(settings: Pick<Settings, 'language'>, systemLocales: string[]): DesktopStrings {
  return STRINGS[desktopLanguage(settings, systemLocales)];
}

export function desktopLanguage(settings: Pick<Settings, 'language'>, systemLocales: string[]): Language {
  return settings.language === 'system' ? languageFromLocales(systemLocales) : settings.language;
}

/**
 * The startup message for a core that refused its store (store_key_missing / store_key_wrong), in
 * the app's language; null for other failures (their English message is shown as before).
 */
export function storeKeyMessage(e: { code: string; details: unknown }, s: DesktopStrings): string | null {
  const d = (e.details ?? {}) as Partial<StoreKeyParams>;
  if (typeof d.file !== 'string' || !d.keyLocation) return null;
  const w = s.startup.keyWhere;
  const where = d.keyLocation.kind === 'key_file' ? w.key_file(d.keyLocation.path) : w[d.keyLocation.kind];
  if (e.code === 'store_key_missing') return s.startup.storeKeyMissing(d.file, where);
  if (e.code === 'store_key_wrong') return s.startup.storeKeyWrong(d.file, where);
  return null;
}
