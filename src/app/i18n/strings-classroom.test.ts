import { describe, expect, it } from 'vitest';
import { classroomStrings } from './strings-classroom';

describe('classroom strings', () => {
  it('has every key in both languages, none empty', () => {
    const en = Object.keys(classroomStrings.en).sort();
    expect(Object.keys(classroomStrings['zh-TW']).sort()).toEqual(en);
    for (const lang of ['en', 'zh-TW'] as const) {
      for (const [key, text] of Object.entries(classroomStrings[lang]))
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
  });
  it('names all eight lecture terms, the Chinese ones as in the note', () => {
    const terms = [
      'tracker',
      'torrent',
      'neighbors',
      'chunk',
      'rarestFirst',
      'unchoked',
      'optimisticallyUnchoked',
      'distributionTime',
    ];
    for (const term of terms) expect(classroomStrings.en).toHaveProperty(`term.${term}`);
    expect(classroomStrings['zh-TW']['term.torrent']).toContain('奔流');
    expect(classroomStrings['zh-TW']['term.tracker']).toContain('追蹤者');
    expect(classroomStrings['zh-TW']['term.distributionTime']).toContain('傳布時間');
  });
  it('keeps the same {placeholders} in both languages', () => {
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const [key, text] of Object.entries(classroomStrings.en)) {
      expect(holes((classroomStrings['zh-TW'] as Record<string, string>)[key]!), key).toEqual(holes(text));
    }
  });
});
