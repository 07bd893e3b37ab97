/**
 * The 105 emoticons of the TPI (ids 0 to 104), see PROTOCOL.md "Emoticons" and section 四 of the
 * original document. Message text carries them as codes such as `/::)`.
 *
 * `zh` is the name given in the original, `en` is WeChat's usual English name, `unicode` is an emoji
 * rendering of the meaning (for plain-text previews; several ids may share one rendering).
 *
 * Code 17 is printed in the original as `/:–-b` (with an EN DASH, U+2013); the canonical code is
 * `/:--b`. Both are read, only the canonical one is written.
 */

export interface Emoticon {
  readonly id: number;
  /** The canonical code, as written on the wire. */
  readonly code: string;
  /** The Chinese name from the original document. */
  readonly zh: string;
  /** A short English name (WeChat's usual one). */
  readonly en: string;
  /** A Unicode emoji rendering that conveys the meaning. */
  readonly unicode: string;
}

type Row = readonly [code: string, zh: string, en: string, unicode: string];

// Index in this list is the id.
const ROWS: readonly Row[] = [
  ['/::)', '微笑', 'Smile', '😊'], // 0
  ['/::~', '撇嘴', 'Grimace', '😕'], // 1
  ['/::B', '色', 'Drool', '😍'], // 2
  ['/::|', '发呆', 'Scowl', '😐'], // 3
  ['/:8-)', '得意', 'CoolGuy', '😎'], // 4
  ['/::<', '流泪', 'Sob', '😢'], // 5
  ['/::$', '害羞', 'Shy', '☺️'], // 6
  ['/::X', '闭嘴', 'Silent', '🤐'], // 7
  ['/::Z', '睡', 'Sleep', '😴'], // 8
  ["/::'(", '大哭', 'Cry', '😭'], // 9
  ['/::-|', '尴尬', 'Awkward', '😬'], // 10
  ['/::@', '发怒', 'Angry', '😠'], // 11
  ['/::P', '调皮', 'Tongue', '😜'], // 12
  ['/::D', '呲牙', 'Grin', '😁'], // 13
  ['/::O', '惊讶', 'Surprise', '😮'], // 14
  ['/::(', '难过', 'Frown', '☹️'], // 15
  ['/::+', '酷', 'Ruthless', '🆒'], // 16
  ['/:--b', '冷汗', 'Blush', '😓'], // 17 (printed `/:–-b` in the original)
  ['/::Q', '抓狂', 'Scream', '😫'], // 18
  ['/::T', '吐', 'Puke', '🤮'], // 19
  ['/:,@P', '偷笑', 'Chuckle', '🤭'], // 20
  ['/:,@-D', '愉快', 'Joyful', '😄'], // 21
  ['/::d', '白眼', 'Slight', '🙄'], // 22
  ['/:,@o', '傲慢', 'Smug', '🧐'], // 23
  ['/::g', '饥饿', 'Hungry', '🤤'], // 24
  ['/:|-)', '困', 'Drowsy', '😪'], // 25
  ['/::!', '惊恐', 'Panic', '😱'], // 26
  ['/::L', '流汗', 'Sweat', '😰'], // 27
  ['/::>', '憨笑', 'Laugh', '😆'], // 28
  ['/::,@', '悠闲', 'Commando', '😌'], // 29
  ['/:,@f', '奋斗', 'Determined', '💪'], // 30
  ['/::-S', '咒骂', 'Scold', '🤬'], // 31
  ['/:?', '疑问', 'Shocked', '❓'], // 32
  ['/:,@x', '嘘', 'Shhh', '🤫'], // 33
  ['/:,@@', '晕', 'Dizzy', '😵'], // 34
  ['/::8', '疯了', 'Tormented', '🤪'], // 35
  ['/:,@!', '衰', 'Toasted', '😩'], // 36
  ['/:!!!', '骷髅', 'Skull', '💀'], // 37
  ['/:xx', '敲打', 'Hammer', '🔨'], // 38
  ['/:bye', '再见', 'Wave', '👋'], // 39
  ['/:wipe', '擦汗', 'Speechless', '😅'], // 40
  ['/:dig', '抠鼻', 'NosePick', '👃'], // 41
  ['/:handclap', '鼓掌', 'Clap', '👏'], // 42
  ['/:&-(', '糗大了', 'Shame', '😳'], // 43
  ['/:B-)', '坏笑', 'Trick', '😏'], // 44
  ['/:<@', '左哼哼', 'Bah! L', '😤'], // 45
  ['/:@>', '右哼哼', 'Bah! R', '😤'], // 46
  ['/::-O', '哈欠', 'Yawn', '🥱'], // 47
  ['/:>-|', '鄙视', 'Pooh-pooh', '😒'], // 48
  ['/:P-(', '委屈', 'Shrunken', '😣'], // 49
  ["/::'|", '快哭了', 'TearingUp', '🥹'], // 50
  ['/:X-)', '阴险', 'Sly', '😈'], // 51
  ['/::*', '亲亲', 'Kiss', '😗'], // 52
  ['/:@x', '吓', 'Wrath', '😨'], // 53
  ['/:8*', '可怜', 'Whimper', '🥺'], // 54
  ['/:pd', '菜刀', 'Cleaver', '🔪'], // 55
  ['/:<W>', '西瓜', 'Watermelon', '🍉'], // 56
  ['/:beer', '啤酒', 'Beer', '🍺'], // 57
  ['/:basketb', '篮球', 'Basketball', '🏀'], // 58
  ['/:oo', '乒乓', 'PingPong', '🏓'], // 59
  ['/:coffee', '咖啡', 'Coffee', '☕'], // 60
  ['/:eat', '饭', 'Rice', '🍚'], // 61
  ['/:pig', '猪头', 'Pig', '🐷'], // 62
  ['/:rose', '玫瑰', 'Rose', '🌹'], // 63
  ['/:fade', '凋谢', 'Wilt', '🥀'], // 64
  ['/:showlove', '嘴唇', 'Lips', '👄'], // 65
  ['/:heart', '爱心', 'Heart', '❤️'], // 66
  ['/:break', '心碎', 'BrokenHeart', '💔'], // 67
  ['/:cake', '蛋糕', 'Cake', '🎂'], // 68
  ['/:li', '闪电', 'Lightning', '⚡'], // 69
  ['/:bome', '炸弹', 'Bomb', '💣'], // 70
  ['/:kn', '刀', 'Dagger', '🗡️'], // 71
  ['/:footb', '足球', 'Soccer', '⚽'], // 72
  ['/:ladybug', '瓢虫', 'Ladybug', '🐞'], // 73
  ['/:shit', '便便', 'Poop', '💩'], // 74
  ['/:moon', '月亮', 'Moon', '🌙'], // 75
  ['/:sun', '太阳', 'Sun', '☀️'], // 76
  ['/:gift', '礼物', 'Gift', '🎁'], // 77
  ['/:hug', '拥抱', 'Hug', '🤗'], // 78
  ['/:strong', '强', 'ThumbsUp', '👍'], // 79
  ['/:weak', '弱', 'ThumbsDown', '👎'], // 80
  ['/:share', '握手', 'Shake', '🤝'], // 81
  ['/:v', '胜利', 'Peace', '✌️'], // 82
  ['/:@)', '抱拳', 'Fight', '🙏'], // 83
  ['/:jj', '勾引', 'Beckon', '🫴'], // 84
  ['/:@@', '拳头', 'Fist', '👊'], // 85
  ['/:bad', '差劲', 'Pinky', '🤏'], // 86
  ['/:lvu', '爱你', 'RockOn', '🤟'], // 87
  ['/:no', 'NO', 'NO', '🙅'], // 88
  ['/:ok', 'OK', 'OK', '👌'], // 89
  ['/:love', '爱情', 'InLove', '💑'], // 90
  ['/:<L>', '飞吻', 'Blowkiss', '😘'], // 91
  ['/:jump', '跳跳', 'Waddle', '🤸'], // 92
  ['/:shake', '发抖', 'Tremble', '🥶'], // 93
  ['/:<O>', '怄火', 'Aaagh!', '😡'], // 94
  ['/:circle', '转圈', 'Twirl', '🌀'], // 95
  ['/:kotow', '磕头', 'Kotow', '🙇'], // 96
  ['/:turn', '回头', 'Dramatic', '↩️'], // 97
  ['/:skip', '跳绳', 'JumpRope', '🪢'], // 98
  ['/:oY', '投降', 'Surrender', '🏳️'], // 99
  ['/:#-0', '激动', 'Hooray', '🤩'], // 100
  ['/:hiphot', '乱舞', 'Meditate', '💃'], // 101
  ['/:kiss', '献吻', 'Smooch', '💋'], // 102
  ['/:<&', '左太极', 'TaiChi L', '☯️'], // 103
  ['/:&>', '右太极', 'TaiChi R', '☯️'], // 104
];

/** All 105 emoticons, in id order (`EMOTICONS[id].id === id`). */
export const EMOTICONS: readonly Emoticon[] = Object.freeze(
  ROWS.map(([code, zh, en, unicode], id): Emoticon => Object.freeze({ id, code, zh, en, unicode })),
);

/** Other spellings that are read (never written): the original's en-dash spelling of code 17. */
export const EMOTICON_ALIASES: Readonly<Record<string, number>> = Object.freeze({
  '/:\u2013-b': 17,
});

const BY_CODE: ReadonlyMap<string, Emoticon> = (() => {
  const map = new Map<string, Emoticon>();
  for (const e of EMOTICONS) map.set(e.code, e);
  for (const [alias, id] of Object.entries(EMOTICON_ALIASES)) {
    const e = EMOTICONS[id];
    if (e === undefined) throw new Error(`emoticon alias ${alias} points to unknown id ${id}`);
    map.set(alias, e);
  }
  return map;
})();

/** The emoticon with this id, or undefined when `id` is not an integer in 0..104. */
export function emoticonById(id: number): Emoticon | undefined {
  return Number.isInteger(id) ? EMOTICONS[id] : undefined;
}

/** The emoticon with exactly this code (canonical or alias), or undefined. */
export function emoticonByCode(code: string): Emoticon | undefined {
  return BY_CODE.get(code);
}
