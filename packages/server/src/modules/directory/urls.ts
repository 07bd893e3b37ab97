/** What a callback base URL must be, wherever one is written (provisioning, admin API). */
export function baseUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not an absolute URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `"${url}" is not an http(s) URL`;
  if (parsed.username || parsed.password || parsed.search || parsed.hash || /[?#]/.test(url)) return `"${url}" must not carry credentials, a query or a fragment`;
  return undefined;
}
