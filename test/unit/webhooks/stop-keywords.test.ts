import { describe, expect, it } from 'vitest';
import { cleanKeywordList, createOptOutMatcher, normaliseReply } from '../../../electron/core/webhooks/stop-keywords';

const m = createOptOutMatcher();

describe('STOP keywords', () => {
  it('recognises English opt-outs whatever the case, spacing or punctuation', () => {
    for (const t of [
      'STOP',
      'stop',
      ' Stop! ',
      'stop.',
      'UNSUBSCRIBE',
      'Unsubscribe please'.slice(0, 11),
      'opt-out',
      'OPT OUT',
      'Stop all',
      'STOP 🛑',
    ]) {
      expect(m.keyword(t), t).not.toBeNull();
    }
  });

  it('recognises Hebrew opt-outs, with or without niqqud and direction marks', () => {
    for (const t of ['הסר', 'הסרה', 'עצור', 'עֲצוֹר', '\u200Fהסר\u200F', 'הסר!', ' הסר אותי ']) {
      expect(m.keyword(t), t).not.toBeNull();
    }
  });

  it('recognises Chinese opt-outs, Traditional and Simplified, full-width punctuation', () => {
    for (const t of ['退訂', '取消訂閱', '停止', '退订', '取消订阅', '退訂。', '停止！', '　取消訂閱　']) {
      expect(m.keyword(t), t).not.toBeNull();
    }
  });

  it('folds full-width Latin letters (ＳＴＯＰ)', () => {
    expect(normaliseReply('ＳＴＯＰ！')).toBe('stop');
    expect(m.keyword('ＳＴＯＰ')).toBe('stop');
  });

  it('matches the whole message only, never a word inside a sentence', () => {
    for (const t of [
      "don't stop sending me deals",
      'Can I stop by the shop?',
      'הסר את המוצר מההזמנה שלי',
      '停止了嗎？我還要',
      'stopwatch',
      '',
      '   ',
    ]) {
      expect(m.keyword(t), t).toBeNull();
    }
  });

  it('recognises opt-out quick-reply buttons by payload or label', () => {
    expect(m.button('STOP_PROMOTIONS', 'Stop promotions')).not.toBeNull();
    expect(m.button('opt_out', null)).not.toBeNull();
    expect(m.button('STOP_PROMO', null)).not.toBeNull();
    expect(m.button('btn-7', 'הסר אותי')).not.toBeNull();
    expect(m.button('x', '停止推廣')).not.toBeNull();
    expect(m.button('Yes', 'Yes, tell me more')).toBeNull();
  });

  it('uses a configured list instead of the defaults', () => {
    const custom = createOptOutMatcher({ keywords: ['BASTA', 'no more'], buttons: ['leave'] });
    expect(custom.keyword('basta!')).toBe('BASTA');
    expect(custom.keyword('No  More')).toBe('no more');
    expect(custom.keyword('stop')).toBeNull();
    expect(custom.button('LEAVE', null)).toBe('leave');
  });

  it('cleans an edited list: trims, drops blanks and duplicates after normalisation', () => {
    expect(cleanKeywordList([' STOP ', 'stop!', '', 'הסר', 'Opt-Out', 'opt out'])).toEqual(['STOP', 'הסר', 'Opt-Out']);
  });
});
