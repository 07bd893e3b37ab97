import { httpUrl } from '@elitewebchat/protocol/browser';

/** The agent's picture, or the first letter of their name when they have none. */
export function Avatar({ name, icon }: { name: string; icon: string }) {
  const src = icon.startsWith('/') && !icon.startsWith('//') ? icon : httpUrl(icon);
  if (src) return <img class="avatar" src={src} alt="" referrerpolicy="no-referrer" data-testid="agent-avatar" />;
  const initial = [...name.trim()][0]?.toUpperCase() ?? '?';
  return (
    <span class="avatar letter" aria-hidden="true" data-testid="agent-avatar">
      {initial}
    </span>
  );
}
