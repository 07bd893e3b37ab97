import { describe, it, expect } from 'vitest';
import { EMOTICONS, EMOTICON_ALIASES, emoticonByCode, emoticonById } from './emoticons.js';

/**
 * The table exactly as printed in section 四 of the original document (code 17 with its EN DASH),
 * copied independently of emoticons.ts.
 */
const DOCUMENT: readonly (readonly [code: string, zh: string])[] = [
  ['/::)', '微笑'], // 0
  ['/::~', '撇嘴'], // 1
  ['/::B', '色'], // 2
  ['/::|', '发呆'], // 3
  ['/:8-)', '得意'], // 4
  ['/::<', '流泪'], // 5
  ['/::$', '害羞'], // 6
  ['/::X', '闭嘴'], // 7
  ['/::Z', '睡'], // 8
  ["/::'(", '大哭'], // 9
  ['/::-|', '尴尬'], // 10
  ['/::@', '发怒'], // 11
  ['/::P', '调皮'], // 12
  ['/::D', '呲牙'], // 13
  ['/::O', '惊讶'], // 14
  ['/::(', '难过'], // 15
  ['/::+', '酷'], // 16
  ['/:\u2013-b', '冷汗'], // 17
  ['/::Q', '抓狂'], // 18
  ['/::T', '吐'], // 19
  ['/:,@P', '偷笑'], // 20
  ['/:,@-D', '愉快'], // 21
  ['/::d', '白眼'], // 22
  ['/:,@o', '傲慢'], // 23
  ['/::g', '饥饿'], // 24
  ['/:|-)', '困'], // 25
  ['/::!', '惊恐'], // 26
  ['/::L', '流汗'], // 27
  ['/::>', '憨笑'], // 28
  ['/::,@', '悠闲'], // 29
  ['/:,@f', '奋斗'], // 30
  ['/::-S', '咒骂'], // 31
  ['/:?', '疑问'], // 32
  ['/:,@x', '嘘'], // 33
  ['/:,@@', '晕'], // 34
  ['/::8', '疯了'], // 35
  ['/:,@!', '衰'], // 36
  ['/:!!!', '骷髅'], // 37
  ['/:xx', '敲打'], // 38
  ['/:bye', '再见'], // 39
  ['/:wipe', '擦汗'], // 40
  ['/:dig', '抠鼻'], // 41
  ['/:handclap', '鼓掌'], // 42
  ['/:&-(', '糗大了'], // 43
  ['/:B-)', '坏笑'], // 44
  ['/:<@', '左哼哼'], // 45
  ['/:@>', '右哼哼'], // 46
  ['/::-O', '哈欠'], // 47
  ['/:>-|', '鄙视'], // 48
  ['/:P-(', '委屈'], // 49
  ["/::'|", '快哭了'], // 50
  ['/:X-)', '阴险'], // 51
  ['/::*', '亲亲'], // 52
  ['/:@x', '吓'], // 53
  ['/:8*', '可怜'], // 54
  ['/:pd', '菜刀'], // 55
  ['/:<W>', '西瓜'], // 56
  ['/:beer', '啤酒'], // 57
  ['/:basketb', '篮球'], // 58
  ['/:oo', '乒乓'], // 59
  ['/:coffee', '咖啡'], // 60
  ['/:eat', '饭'], // 61
  ['/:pig', '猪头'], // 62
  ['/:rose', '玫瑰'], // 63
  ['/:fade', '凋谢'], // 64
  ['/:showlove', '嘴唇'], // 65
  ['/:heart', '爱心'], // 66
  ['/:break', '心碎'], // 67
  ['/:cake', '蛋糕'], // 68
  ['/:li', '闪电'], // 69
  ['/:bome', '炸弹'], // 70
  ['/:kn', '刀'], // 71
  ['/:footb', '足球'], // 72
  ['/:ladybug', '瓢虫'], // 73
  ['/:shit', '便便'], // 74
  ['/:moon', '月亮'], // 75
  ['/:sun', '太阳'], // 76
  ['/:gift', '礼物'], // 77
  ['/:hug', '拥抱'], // 78
  ['/:strong', '强'], // 79
  ['/:weak', '弱'], // 80
  ['/:share', '握手'], // 81
  ['/:v', '胜利'], // 82
  ['/:@)', '抱拳'], // 83
  ['/:jj', '勾引'], // 84
  ['/:@@', '拳头'], // 85
  ['/:bad', '差劲'], // 86
  ['/:lvu', '爱你'], // 87
  ['/:no', 'NO'], // 88
  ['/:ok', 'OK'], // 89
  ['/:love', '爱情'], // 90
  ['/:<L>', '飞吻'], // 91
  ['/:jump', '跳跳'], // 92
  ['/:shake', '发抖'], // 93
  ['/:<O>', '怄火'], // 94
  ['/:circle', '转圈'], // 95
  ['/:kotow', '磕头'], // 96
  ['/:turn', '回头'], // 97
  ['/:skip', '跳绳'], // 98
  ['/:oY', '投降'], // 99
  ['/:#-0', '激动'], // 100
  ['/:hiphot', '乱舞'], // 101
  ['/:kiss', '献吻'], // 102
  ['/:<&', '左太极'], // 103
  ['/:&>', '右太极'], // 104
];

const EN_DASH_17 = '/:\u2013-b';

describe('EMOTICONS table', () => {
  it('has exactly 105 entries with ids 0..104 in order', () => {
    expect(EMOTICONS).toHaveLength(105);
    expect(DOCUMENT).toHaveLength(105);
    EMOTICONS.forEach((e, i) => expect(e.id).toBe(i));
  });

  it('has the codes of the original document, with code 17 written /:--b', () => {
    EMOTICONS.forEach((e, i) => {
      const [docCode] = DOCUMENT[i]!;
      expect(e.code).toBe(docCode === EN_DASH_17 ? '/:--b' : docCode);
    });
    expect(EMOTICONS[17]!.code).toBe('/:--b');
    expect([...EMOTICONS[17]!.code].map((c) => c.charCodeAt(0))).toEqual([0x2f, 0x3a, 0x2d, 0x2d, 0x62]);
  });

  it('has the Chinese names of the original document', () => {
    EMOTICONS.forEach((e, i) => expect(e.zh).toBe(DOCUMENT[i]![1]));
    expect(EMOTICONS[0]!.zh).toBe('微笑');
    expect(EMOTICONS[17]!.zh).toBe('冷汗');
    expect(EMOTICONS[56]!.zh).toBe('西瓜');
    expect(EMOTICONS[104]!.zh).toBe('右太极');
  });

  it('has unique codes that all start with /:', () => {
    const codes = EMOTICONS.map((e) => e.code);
    expect(new Set(codes).size).toBe(105);
    for (const code of codes) expect(code.startsWith('/:'), code).toBe(true);
  });

  it('has no code that is a proper prefix of another (so codes written together never merge)', () => {
    const spellings = [...EMOTICONS.map((e) => e.code), ...Object.keys(EMOTICON_ALIASES)];
    for (const a of spellings) {
      for (const b of spellings) if (a !== b) expect(b.startsWith(a), `${a} is a prefix of ${b}`).toBe(false);
      // Only the leading `/` of a code is a slash, so a code never runs into the next one.
      expect(a.indexOf('/', 1), a).toBe(-1);
    }
  });

  it('gives every entry a non-empty English name and Unicode rendering', () => {
    for (const e of EMOTICONS) {
      expect(e.en.trim(), `en of ${e.id}`).not.toBe('');
      expect(e.unicode.trim(), `unicode of ${e.id}`).not.toBe('');
      // The rendering is not the code itself and holds no ASCII (it is an emoji).
      expect([...e.unicode].every((c) => c.codePointAt(0)! > 0x7f), `unicode of ${e.id}`).toBe(true);
    }
    expect(EMOTICONS[0]!.en).toBe('Smile');
    expect(EMOTICONS[1]!.en).toBe('Grimace');
    expect(EMOTICONS[2]!.en).toBe('Drool');
    expect(EMOTICONS[3]!.en).toBe('Scowl');
    expect(EMOTICONS[56]!.unicode).toBe('🍉');
    expect(EMOTICONS[57]!.unicode).toBe('🍺');
    expect(EMOTICONS[62]!.unicode).toBe('🐷');
    expect(EMOTICONS[79]!.unicode).toBe('👍');
    expect(EMOTICONS[80]!.unicode).toBe('👎');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(EMOTICONS)).toBe(true);
    expect(Object.isFrozen(EMOTICONS[0])).toBe(true);
    expect(Object.isFrozen(EMOTICON_ALIASES)).toBe(true);
  });
});

describe('EMOTICON_ALIASES', () => {
  it('maps the en-dash spelling of code 17 to id 17, and nothing else', () => {
    expect(EMOTICON_ALIASES).toEqual({ [EN_DASH_17]: 17 });
    expect(EN_DASH_17.charCodeAt(2)).toBe(0x2013);
  });
});

describe('lookups', () => {
  it('emoticonById finds every id and nothing outside 0..104', () => {
    for (const e of EMOTICONS) expect(emoticonById(e.id)).toBe(e);
    for (const bad of [-1, 105, 1.5, Number.NaN, Infinity]) expect(emoticonById(bad)).toBeUndefined();
  });

  it('emoticonByCode finds every canonical code and the alias', () => {
    for (const e of EMOTICONS) expect(emoticonByCode(e.code)).toBe(e);
    expect(emoticonByCode(EN_DASH_17)).toBe(EMOTICONS[17]);
    expect(emoticonByCode(EN_DASH_17)!.code).toBe('/:--b');
  });

  it('emoticonByCode rejects near misses', () => {
    for (const bad of ['', '/:', '/::', '/::-', '/::)x', ' /::)', '/:PIG', '/:-b', '/:\u2014-b', 'toString', '__proto__']) {
      expect(emoticonByCode(bad), bad).toBeUndefined();
    }
  });
});
