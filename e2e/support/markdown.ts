/** Pieces of the repository's markdown, read the way the tests need them. */

/** The text of the `## heading` section, up to the next heading of level 1 or 2. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`);
  if (start < 0) throw new Error(`no section "## ${heading}"`);
  let inFence = false; // a "# comment" in a sh block is no heading
  const end = lines.findIndex((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    return i > start && !inFence && /^#{1,2} /.test(line);
  });
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The bodies of the fenced code blocks of a language (```sh), in order. */
export function fencedBlocks(markdown: string, language: string): string[] {
  const blocks: string[] = [];
  let fence: string | undefined; // inside a block: its fence
  let body: string[] | undefined; // inside a block of the language: its lines so far
  for (const line of markdown.split('\n')) {
    if (fence === undefined) {
      const open = /^(```+|~~~+)\s*([\w-]*)/.exec(line);
      if (open) {
        fence = open[1]!;
        body = open[2] === language ? [] : undefined;
      }
    } else if (line.trim() === fence) {
      if (body) blocks.push(body.join('\n'));
      fence = undefined;
      body = undefined;
    } else {
      body?.push(line);
    }
  }
  return blocks;
}

/** Markdown with its fenced code blocks and inline code spans blanked out (links there are not links). */
export function withoutCode(markdown: string): string {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        return '';
      }
      return inFence ? '' : line.replace(/`[^`]*`/g, '``');
    })
    .join('\n');
}

/** Targets of the links and images: inline `[text](target "title")` and reference definitions `[id]: target`. */
export function linkTargets(markdown: string): string[] {
  const text = withoutCode(markdown);
  const targets: string[] = [];
  for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]!);
  for (const m of text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) targets.push(m[1]!);
  return targets;
}
