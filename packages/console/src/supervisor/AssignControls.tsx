/**
 * The supervisor's hand in routing: "Assign to…" a waiting request, "Move to…" an open chat. Each
 * opens a small form in its row listing the online agents with room (the queue's own first); a
 * refusal (409: the agent went, or has no room now) shows in our words with the server's message.
 */
import type { BoardAgent, WaitingRequestView } from '@elitewebchat/protocol/browser';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { supervisorApi } from '../api/supervisor';
import { ApiError } from '../api/http';
import { ConflictText } from '../ui/ConflictText';
import { errorMessage } from '../ui/ErrorNote';
import { formatDuration } from '../ui/format';
import { SourceAvatar } from '../ui/SourceAvatar';
import { useNow } from '../ui/useNow';
import '../styles/routing.css';

/** Online agents with a free place (an open offer holds one), those of `queueId` first. */
export function agentsWithRoom(agents: readonly BoardAgent[], queueId: number, exceptId?: string): BoardAgent[] {
  return agents
    .filter((a) => a.id !== exceptId && a.status === 'online' && a.openChats + a.openOffers < a.maxChats)
    .sort((a, b) => Number(b.queueIds.includes(queueId)) - Number(a.queueIds.includes(queueId)) || a.openChats + a.openOffers - (b.openChats + b.openOffers) || a.id.localeCompare(b.id));
}

interface Failure {
  message: string;
  code: string;
}

interface PickerProps {
  agents: BoardAgent[];
  queueId: number;
  withNote: boolean;
  submit: string;
  submitting: string;
  failed: (reason: string) => string;
  onSubmit: (agentId: string, note: string) => Promise<unknown>;
  onDone: () => void;
  onCancel: () => void;
  testId: string;
}

function AgentPicker({ agents, queueId, withNote, submit, submitting, failed, onSubmit, onDone, onCancel, testId }: PickerProps) {
  const { t } = useTranslation();
  const [agentId, setAgentId] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const send = async () => {
    if (!agentId) return;
    setBusy(true);
    setFailure(null);
    try {
      await onSubmit(agentId, note.trim());
      onDone();
    } catch (error) {
      setFailure({ message: errorMessage(error), code: error instanceof ApiError ? error.code : '' });
      setBusy(false);
    }
  };

  return (
    <form
      className="assign-form"
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      {agents.length === 0 ? (
        <span className="muted small" data-testid="assign-no-agents">
          {t('assign.noAgents')}
        </span>
      ) : (
        <select value={agentId} onChange={(e) => setAgentId(e.target.value)} aria-label={t('assign.agent')} required data-testid="assign-agent">
          <option value="">{t('assign.pickAgent')}</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {t('assign.agentOption', { name: `${a.alias || a.name} (${a.id})`, open: a.openChats + a.openOffers, max: a.maxChats })}
              {a.queueIds.includes(queueId) ? ` · ${t('assign.ofQueue')}` : ''}
            </option>
          ))}
        </select>
      )}
      {withNote && (
        <input type="text" value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} placeholder={t('assign.note')} aria-label={t('assign.note')} data-testid="assign-note" />
      )}
      <button type="submit" className="btn btn-small btn-primary" disabled={busy || !agentId} data-testid="assign-submit">
        {busy ? submitting : submit}
      </button>
      <button type="button" className="btn btn-small" onClick={onCancel} disabled={busy} data-testid="assign-cancel">
        {t('common.cancel')}
      </button>
      {failure && (
        <span className="error-text small board-note" role="alert" data-testid="assign-error">
          <ConflictText message={failure.message} code={failure.code} frame={failed} />
        </span>
      )}
    </form>
  );
}

/** "Move to…" of an open chat on the board. */
export function MoveControl({ sessionId, queueId, agentId, agents, onDone }: { sessionId: number; queueId: number; agentId: string; agents: BoardAgent[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)} data-testid="move-button">
        {t('assign.moveTo')}
      </button>
    );
  }
  return (
    <AgentPicker
      agents={agentsWithRoom(agents, queueId, agentId)}
      queueId={queueId}
      withNote
      submit={t('assign.move')}
      submitting={t('assign.moving')}
      failed={(reason) => t('assign.moveFailed', { reason })}
      onSubmit={(to, note) => supervisorApi.move(sessionId, to, note)}
      onDone={() => {
        setOpen(false);
        onDone();
      }}
      onCancel={() => setOpen(false)}
      testId="move-form"
    />
  );
}

export function WaitingRequestsTable({
  requests,
  agents,
  queueName,
  onChanged,
}: {
  requests: WaitingRequestView[];
  agents: BoardAgent[];
  queueName: (id: number) => string;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const now = useNow(1_000);
  const [assigning, setAssigning] = useState<number | null>(null);
  return (
    <table className="table" data-testid="board-requests">
      <thead>
        <tr>
          <th>{t('board.customer')}</th>
          <th>{t('board.queue')}</th>
          <th className="num">{t('assign.place')}</th>
          <th className="num">{t('assign.waited')}</th>
          <th className="num">{t('assign.preMessages')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {requests.map((r) => (
          <tr key={r.requestId} data-testid="board-request-row" data-request-id={r.requestId} data-queue-id={r.queueId}>
            <td>
              <span className="cell-with-avatar">
                <SourceAvatar from={r.from} size={22} />
                {r.nickname || r.clientId} <span className="muted small">{r.clientId}</span>
              </span>
            </td>
            <td>{queueName(r.queueId)}</td>
            <td className="num" data-testid="board-request-place">
              {r.place}
            </td>
            <td className="num">{formatDuration(now - r.waitingSince, t)}</td>
            <td className="num">{r.preMessages}</td>
            <td>
              {assigning === r.requestId ? (
                <AgentPicker
                  agents={agentsWithRoom(agents, r.queueId)}
                  queueId={r.queueId}
                  withNote={false}
                  submit={t('assign.assign')}
                  submitting={t('assign.assigning')}
                  failed={(reason) => t('assign.assignFailed', { reason })}
                  onSubmit={(agentId) => supervisorApi.assign(r.requestId, agentId)}
                  onDone={() => {
                    setAssigning(null);
                    onChanged();
                  }}
                  onCancel={() => setAssigning(null)}
                  testId="assign-form"
                />
              ) : (
                <button type="button" className="btn btn-small" onClick={() => setAssigning(r.requestId)} data-testid="assign-button">
                  {t('assign.assignTo')}
                </button>
              )}
            </td>
          </tr>
        ))}
        {requests.length === 0 && (
          <tr>
            <td colSpan={6} className="muted" data-testid="board-requests-empty">
              {t('assign.noRequests')}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
