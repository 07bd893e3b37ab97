// What customers write: short lines, Chinese, emoticon codes, now and then a long paragraph.

const SHORT = [
  'Hello, my order #{n} has not arrived yet /::)',
  'Can I change the delivery address? /::~',
  'Thanks! /::B',
  'ok',
  'Is there a discount if I buy {n} of them? /:8-)',
];
const CJK = [
  '您好，我想查询一下订单 {n} 的物流信息 /::)',
  '请问这个商品还有货吗？谢谢 /::$',
  '退货流程是怎样的？我已经等了三天了 /::<',
  '好的，明白了，非常感谢您的耐心解答！#{n}',
  '麻烦帮我看一下，发票抬头写错了 /::|',
];
const PARAGRAPH =
  "I bought the blue jacket last week and the zipper broke on the second day, so I would like a new one or my money back. 我上周买的蓝色外套，拉链第二天就坏了，希望可以换一件新的或者退款。/::'( ";

/**
 * @param {number} chat
 * @param {number} k the k-th message of that chat
 */
export function customerText(chat, k) {
  const n = `${chat}-${k}`;
  const pick = (/** @type {string[]} */ list) => /** @type {string} */ (list[(k * 7 + chat) % list.length]).replace('{n}', n);
  switch (k % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      return pick(SHORT);
    case 4:
    case 5:
    case 6:
      return pick(CJK);
    case 7:
      return `/::) /::B /:8-) ${pick(CJK)} /::Z`;
    case 8:
      return `${PARAGRAPH}(${n})`;
    default:
      // about 1,300 characters
      return `${PARAGRAPH.repeat(7)}(${n})`;
  }
}
