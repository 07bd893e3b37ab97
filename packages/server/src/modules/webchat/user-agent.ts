/**
 * What the console shows of a customer's browser: its name, major version and system, and
 * whether it is a phone. Read from the User-Agent header, which the customer controls: the
 * result is a label for people, never a security decision.
 */

const BROWSERS: [name: string, pattern: RegExp][] = [
  // Order matters: Edge, Opera and Samsung also say "Chrome", and Chrome also says "Safari".
  ['WeChat', /MicroMessenger\/(\d+)/],
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /OPR\/(\d+)/],
  ['Samsung Internet', /SamsungBrowser\/(\d+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//],
];

const SYSTEMS: [name: string, pattern: RegExp][] = [
  ['Android', /Android/],
  ['iOS', /iPhone|iPad|iPod/],
  ['Windows', /Windows/],
  ['macOS', /Mac OS X|Macintosh/],
  ['Linux', /Linux/],
];

export interface UserAgentFacts {
  browser: string | null;
  mobile: boolean;
}

export function describeUserAgent(ua: string | undefined): UserAgentFacts {
  if (!ua) return { browser: null, mobile: false };
  const text = ua.slice(0, 512);
  const mobile = /Mobi|Android|iPhone|iPod|MicroMessenger/.test(text) && !/iPad|Tablet/.test(text);
  const system = SYSTEMS.find(([, p]) => p.test(text))?.[0];
  for (const [name, pattern] of BROWSERS) {
    const m = pattern.exec(text);
    if (m) return { browser: `${name} ${m[1]}${system ? ` on ${system}` : ''}`, mobile };
  }
  return { browser: system ?? null, mobile };
}
