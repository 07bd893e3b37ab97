import { describe, it, expect } from 'vitest';
import type { MessagePart } from './emoticon-codec.js';
import { emoticonToUnicode, formatMessage, httpUrl, parseMessage, parseMessageWithSource } from './emoticon-codec.js';
import { EMOTICONS, EMOTICON_ALIASES } from './emoticons.js';

const EN_DASH_17 = '/:\u2013-b';
const ALL_SPELLINGS = [...EMOTICONS.map((e) => e.code), ...Object.keys(EMOTICON_ALIASES)];

const emo = (id: number): MessagePart => ({ kind: 'emoticon', id, code: EMOTICONS[id]!.code });
const txt = (text: string): MessagePart => ({ kind: 'text', text });
const img = (src: string): MessagePart => ({ kind: 'image', src });

/** Parts are well formed: no empty text part, no two text parts in a row. */
function expectWellFormed(parts: readonly MessagePart[]): void {
  parts.forEach((p, i) => {
    if (p.kind === 'text') {
      expect(p.text).not.toBe('');
      expect(parts[i + 1]?.kind).not.toBe('text');
    }
  });
}

/** Deterministic PRNG (mulberry32), so a failure can be reproduced. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parseMessage: emoticon codes', () => {
  it('returns no parts for the empty string', () => {
    expect(parseMessage('')).toEqual([]);
  });

  it('reads every code alone as exactly one emoticon part with its id', () => {
    for (const e of EMOTICONS) {
      expect(parseMessage(e.code), e.code).toEqual([{ kind: 'emoticon', id: e.id, code: e.code }]);
    }
  });

  it('reads every code surrounded by text', () => {
    for (const e of EMOTICONS) {
      expect(parseMessage(`a${e.code}b`), e.code).toEqual([txt('a'), emo(e.id), txt('b')]);
      expect(parseMessage(`你好 ${e.code} 再见`), e.code).toEqual([txt('你好 '), emo(e.id), txt(' 再见')]);
    }
  });

  it('reads every ordered pair of codes written together as exactly those two emoticons', () => {
    for (const a of EMOTICONS) {
      for (const b of EMOTICONS) {
        expect(parseMessage(a.code + b.code), a.code + b.code).toEqual([emo(a.id), emo(b.id)]);
      }
    }
  });

  it('reads every ordered pair of codes with a text character between as emoticon, text, emoticon', () => {
    for (const sep of [' ', 'x', '/', ':', '-']) {
      for (const a of EMOTICONS) {
        for (const b of EMOTICONS) {
          const s = a.code + sep + b.code;
          expect(parseMessage(s), s).toEqual([emo(a.id), txt(sep), emo(b.id)]);
        }
      }
    }
  });

  it('takes the longest code at each position where codes share prefixes', () => {
    const cases: [string, MessagePart[]][] = [
      ['/::-|', [emo(10)]],
      ['/::-S', [emo(31)]],
      ['/::-O', [emo(47)]],
      ['/::-|/::-S/::-O', [emo(10), emo(31), emo(47)]],
      ['/:@>', [emo(46)]],
      ['/:@x', [emo(53)]],
      ['/:@@', [emo(85)]],
      ['/:@)', [emo(83)]],
      ['/:@>/:@x/:@@/:@)', [emo(46), emo(53), emo(85), emo(83)]],
      ["/::'(", [emo(9)]],
      ["/::'|", [emo(50)]],
      ["/::'(/::'|", [emo(9), emo(50)]],
      ['/::<', [emo(5)]],
      ['/::>', [emo(28)]],
      ['/:<@', [emo(45)]],
      ['/:<W>', [emo(56)]],
      ['/:<L>', [emo(91)]],
      ['/:<O>', [emo(94)]],
      ['/:<&', [emo(103)]],
      ['/:>-|', [emo(48)]],
      ['/::<W>', [emo(5), txt('W>')]],
      ['/::,@', [emo(29)]],
      ['/:,@P', [emo(20)]],
      ['/:,@-D', [emo(21)]],
      ['/:,@@', [emo(34)]],
      ['/::@', [emo(11)]],
      ['/::@@', [emo(11), txt('@')]],
      ['/::-|-', [emo(10), txt('-')]],
      ['/:!!!!', [emo(37), txt('!')]],
      ['/:basketball', [emo(58), txt('all')]],
      ['/:kisses', [emo(102), txt('es')]],
      ['/:ok/:oo/:oY', [emo(89), emo(59), emo(99)]],
      ['/:v/:li/:lvu/:love', [emo(82), emo(69), emo(87), emo(90)]],
    ];
    for (const [input, expected] of cases) expect(parseMessage(input), input).toEqual(expected);
  });

  it('reads the en-dash spelling of code 17 as id 17 with the canonical code', () => {
    expect(EN_DASH_17.charCodeAt(2)).toBe(0x2013);
    expect(parseMessage(EN_DASH_17)).toEqual([{ kind: 'emoticon', id: 17, code: '/:--b' }]);
    expect(parseMessage('/:--b')).toEqual([{ kind: 'emoticon', id: 17, code: '/:--b' }]);
    expect(parseMessage(`a${EN_DASH_17}b/:--b`)).toEqual([txt('a'), emo(17), txt('b'), emo(17)]);
    for (const e of EMOTICONS) {
      expect(parseMessage(EN_DASH_17 + e.code)).toEqual([emo(17), emo(e.id)]);
      expect(parseMessage(e.code + EN_DASH_17)).toEqual([emo(e.id), emo(17)]);
    }
  });

  it('leaves text that merely looks like a code as text', () => {
    const lookalikes = [
      '/:',
      '/::',
      '/::-',
      '/::-x',
      "/::'",
      '/:-)',
      '/:-b',
      '/:\u2014-b', // EM DASH
      '/:\u2013b',
      '/:,@',
      '/:<',
      '/:<W',
      '/:&',
      '/:&-',
      '/:!!',
      '/:pi',
      '/:PIG',
      '/: pig',
      '/ ::)',
      '\\::)',
      ':)',
      '::)',
      'a/:b',
      'http://example.com/path',
      'https://example.com/a/b?c=d&e=f#g',
      'C:/Windows/System32',
      '1/2:3',
      '////::::',
    ];
    for (const s of lookalikes) {
      // The sample must really hold no code (checked against the table, so the test stays honest).
      for (const code of ALL_SPELLINGS) expect(s.includes(code), `${s} contains ${code}`).toBe(false);
      expect(parseMessage(s), s).toEqual([txt(s)]);
    }
  });

  it('treats <, > and & inside codes as ordinary characters', () => {
    expect(parseMessage('a<b/::<c>d')).toEqual([txt('a<b'), emo(5), txt('c>d')]);
    expect(parseMessage('&lt;/:<W>&gt;')).toEqual([txt('&lt;'), emo(56), txt('&gt;')]);
    expect(parseMessage('/:&-(/:<&/:&>')).toEqual([emo(43), emo(103), emo(104)]);
    expect(parseMessage('/:<L>/:<O>/::>/:>-|')).toEqual([emo(91), emo(94), emo(28), emo(48)]);
    // An emoticon code inside something that looks like a tag is still an emoticon.
    expect(parseMessage('<b>/::)</b>')).toEqual([txt('<b>'), emo(0), txt('</b>')]);
  });
});

describe('parseMessage: markup', () => {
  it('reads the custom emoticon image tag in its accepted spellings', () => {
    const cases: [string, string][] = [
      ["<img src='custom.gif'>", 'custom.gif'],
      ['<img src="custom.gif">', 'custom.gif'],
      ['<IMG SRC="a.png"/>', 'a.png'],
      ["<Img Src='a.png' />", 'a.png'],
      ["<img src='a.png' >", 'a.png'],
      ["<img src='a.png'\t/>", 'a.png'],
      ["<img   src='a.png'>", 'a.png'],
      ["<img src = 'a.png'>", 'a.png'],
      ["<img src='http://example.com/e/1.gif?x=1&y=2'>", 'http://example.com/e/1.gif?x=1&y=2'],
      ["<img src='自定义表情.gif'>", '自定义表情.gif'],
      ["<img src='/:pig.gif'>", '/:pig.gif'],
    ];
    for (const [input, src] of cases) expect(parseMessage(input), input).toEqual([img(src)]);
  });

  it('reads image tags among text and emoticons', () => {
    expect(parseMessage("hi<img src='a.gif'>/::)<img src=\"b.gif\"/>!")).toEqual([
      txt('hi'),
      img('a.gif'),
      emo(0),
      img('b.gif'),
      txt('!'),
    ]);
    expect(parseMessage("<<img src='a.gif'>>")).toEqual([txt('<'), img('a.gif'), txt('>')]);
    expect(parseMessage("<img src='a' x><img src='b'>")).toEqual([txt("<img src='a' x>"), img('b')]);
  });

  it('leaves any other markup as literal text', () => {
    const literal = [
      '<b>bold</b>',
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      "<img src='a.gif' onload='x'>",
      "<img src='x' onerror='alert(1)'>",
      "<img alt='a' src='a.gif'>",
      '<img src=a.gif>',
      "<img src=''>",
      "<img src=' '>",
      "<img src='\t'>",
      "<img src='a b.gif'>",
      `<img src='a"b.gif'>`,
      "<img src='a<b.gif'>",
      "<img src='a>b.gif'>",
      `<img src='a.gif">`,
      "<img src='a.gif'",
      "<img src='a.gif'/",
      "<img src='a.gif'//>",
      "<imgsrc='a.gif'>",
      "<image src='a.gif'>",
      "< img src='a.gif'>",
      "<img srcset='a.gif'>",
      '<a href="javascript:alert(1)">x</a>',
      '&lt;img src=&#39;a.gif&#39;&gt;',
      '<!-- x -->',
    ];
    for (const s of literal) {
      for (const code of ALL_SPELLINGS) expect(s.includes(code), `${s} contains ${code}`).toBe(false);
      expect(parseMessage(s), s).toEqual([txt(s)]);
    }
  });

  it('never yields empty or adjacent text parts', () => {
    const samples = [
      'a',
      '/::)',
      "x<img src='a'>y/::)z",
      '<b>/::)</b>',
      '/:/::)/:',
      "<img src=''>/::)<img src='a'>",
    ];
    for (const s of samples) expectWellFormed(parseMessage(s));
  });
});

describe('formatMessage', () => {
  it('writes emoticons by the canonical code of their id and images normalised', () => {
    expect(formatMessage([txt('a'), emo(0), img('x.gif'), txt('b')])).toBe("a/::)<img src='x.gif'>b");
    expect(formatMessage([{ kind: 'emoticon', id: 17, code: EN_DASH_17 }])).toBe('/:--b');
    expect(formatMessage([])).toBe('');
  });

  it('is the inverse of parseMessage on a mixed message', () => {
    const s = "你好 /::)! <img src='custom.gif'>/:<W>&/:&>/:<&<b>/:pig</b> http://x.y/:: a/:b /::-|/::-S";
    const parts = parseMessage(s);
    expect(parts.filter((p) => p.kind === 'emoticon').map((p) => (p.kind === 'emoticon' ? p.id : -1))).toEqual([
      0, 56, 104, 103, 62, 10, 31,
    ]);
    expect(parts.filter((p) => p.kind === 'image')).toEqual([img('custom.gif')]);
    expect(formatMessage(parts)).toBe(s);
  });

  it('round-trips every code, every pair of codes and every literal tag', () => {
    for (const a of EMOTICONS) {
      for (const b of EMOTICONS) {
        const s = `${a.code}<${b.code}>`;
        expect(formatMessage(parseMessage(s))).toBe(s);
      }
    }
    const tags = ['<img src=x onerror=alert(1)>', "<img src='a.gif' onload='x'>", '<script>alert(1)</script>'];
    for (const s of tags) expect(formatMessage(parseMessage(s))).toBe(s);
  });

  it('normalises the en-dash alias and image tags', () => {
    expect(formatMessage(parseMessage(`a${EN_DASH_17}b`))).toBe('a/:--bb');
    expect(formatMessage(parseMessage('<IMG SRC="a.png"/>'))).toBe("<img src='a.png'>");
    expect(formatMessage(parseMessage("x<img  src = 'a.png' >y"))).toBe("x<img src='a.png'>y");
  });

  it('refuses what it could not write so that it reads back', () => {
    expect(() => formatMessage([{ kind: 'emoticon', id: 105, code: '/:x' }])).toThrow(RangeError);
    expect(() => formatMessage([{ kind: 'emoticon', id: -1, code: '/::)' }])).toThrow(RangeError);
    for (const src of ['', ' ', 'a b', "a'b", 'a"b', 'a<b', 'a>b', "x' onerror='alert(1)"]) {
      expect(() => formatMessage([img(src)]), src).toThrow(RangeError);
    }
  });
});

describe('emoticonToUnicode', () => {
  it('replaces every code with its rendering', () => {
    for (const e of EMOTICONS) expect(emoticonToUnicode(`a${e.code}b`)).toBe(`a${e.unicode}b`);
    expect(emoticonToUnicode('/:<W>/:beer/:pig')).toBe('🍉🍺🐷');
    expect(emoticonToUnicode('/::-|/::-S')).toBe(EMOTICONS[10]!.unicode + EMOTICONS[31]!.unicode);
    expect(emoticonToUnicode(`x${EN_DASH_17}`)).toBe(`x${EMOTICONS[17]!.unicode}`);
  });

  it('leaves everything else as is, image tags included', () => {
    const kept = ["<img src='/:pig.gif'>", '<IMG SRC="a.png"/>', 'http://example.com/path', '&lt;', '/::', ''];
    for (const s of kept) expect(emoticonToUnicode(s)).toBe(s);
    expect(emoticonToUnicode("<img src='a.gif'>/::)")).toBe(`<img src='a.gif'>${EMOTICONS[0]!.unicode}`);
    expect(emoticonToUnicode('<b>/:pig</b>')).toBe('<b>🐷</b>');
    expect(emoticonToUnicode("<img src='x' onerror='/::)'>")).toBe(`<img src='x' onerror='${EMOTICONS[0]!.unicode}'>`);
  });
});

describe('large messages', () => {
  function randomMessage(size: number, seed: number): { text: string; emoticons: number; images: number } {
    const next = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const alphabet = [...'ab WOL/:<>&\'"-()!@,|*?#8\n中文', '😀'];
    let text = '';
    let emoticons = 0;
    let images = 0;
    while (text.length < size) {
      const r = next();
      if (r < 0.4) {
        text += pick(EMOTICONS).code;
        emoticons++;
      } else if (r < 0.45) {
        text += `<img src='e${Math.floor(next() * 1000)}.gif'>`;
        images++;
      } else if (r < 0.55) {
        const code = pick(EMOTICONS).code; // a code cut short
        text += code.slice(0, 1 + Math.floor(next() * (code.length - 1)));
      } else {
        const n = 1 + Math.floor(next() * 8);
        for (let i = 0; i < n; i++) text += pick(alphabet);
      }
    }
    return { text, emoticons, images };
  }

  it('round-trips a 100 KB random mix of codes, tags and text', () => {
    for (const seed of [1, 2, 3]) {
      const { text, emoticons, images } = randomMessage(100_000, seed);
      const parts = parseMessage(text);
      expect(formatMessage(parts) === text).toBe(true);
      expectWellFormed(parts);
      // Random text can make extra codes and a stray `<img src='` can swallow one, so only roughly.
      const seenEmoticons = parts.filter((p) => p.kind === 'emoticon').length;
      expect(seenEmoticons).toBeGreaterThan(emoticons * 0.9);
      expect(parts.filter((p) => p.kind === 'image').length).toBeGreaterThan(images * 0.9);
      expect(emoticonToUnicode(text).length).toBeLessThan(text.length);
    }
  });

  // Linear time is what makes these finish; a quadratic reader would hit the test timeout.
  it('reads adversarial input back unchanged', () => {
    const inputs = [
      '/::-'.repeat(25_000),
      '/:'.repeat(50_000),
      "<img src='".repeat(10_000),
      "<img src='" + 'a'.repeat(100_000),
      '<img '.repeat(20_000),
      ('<img src="a"' + ' '.repeat(50)).repeat(1_600),
      '<'.repeat(100_000),
    ];
    for (const s of inputs) {
      const parts = parseMessage(s);
      expect(formatMessage(parts)).toBe(s);
    }
  });
});

describe('parseMessageWithSource', () => {
  it('gives each part the characters it was read from, which join back into the text', () => {
    const text = "hi /:–-b <img src='https://e.example/a.gif'> <img src='javascript:x'>/::)";
    const parts = parseMessageWithSource(text);
    expect(parts.map((p) => p.part)).toEqual(parseMessage(text));
    expect(parts.map((p) => p.source).join('')).toBe(text);
    // The en-dash spelling of code 17 is read as its canonical code, but shown as written.
    expect(parts.find((p) => p.part.kind === 'emoticon')?.source).toBe('/:–-b');
  });
});

describe('httpUrl', () => {
  it('keeps absolute http(s) URLs without credentials, normalised', () => {
    expect(httpUrl('HTTPS://Shop.Example/a b')).toBe('https://shop.example/a%20b');
    expect(httpUrl('javascript:alert(1)')).toBeNull();
    expect(httpUrl('/relative')).toBeNull();
    expect(httpUrl('https://user:pw@shop.example/')).toBeNull();
  });
});
