/** Queues: list, create, edit (agents, working hours, closed dates and special hours, limits, policies, assignment, the position sentence). */
import { QUEUE_ASSIGNMENTS, type AdminAgent, type AdminQueue, type QueueAssignment, type QueueUpdate, type Weekday } from '@elitewebchat/protocol/browser';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { adminApi } from '../api/admin';
import { ErrorNote } from '../ui/ErrorNote';
import { Field } from '../ui/Field';
import { useLoad } from '../ui/useLoad';
import { useSave } from '../ui/useSave';
import { DatesEditor, DatesSummary, useQueueDates } from './DatesEditor';
import { HoursEditor } from './HoursEditor';
import { hoursToText, textToHours, type HoursText } from './hours';
import { positionMessageOf } from './later-settings';

const TIME_ZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'UTC'];

export function QueuesAdmin() {
  const { t } = useTranslation();
  const queues = useLoad(() => adminApi.queues(), []);
  const agents = useLoad(() => adminApi.agents(), []);
  const [editing, setEditing] = useState<AdminQueue | 'new' | null>(null);

  const saved = (q: AdminQueue) => {
    queues.setData((list) => {
      const rest = (list ?? []).filter((x) => x.id !== q.id);
      return [...rest, q].sort((a, b) => a.id - b.id);
    });
    setEditing(q);
  };

  return (
    <div className="admin-split">
      <section className="card admin-list">
        <div className="card-head">
          <h2>{t('admin.queues')}</h2>
          <button type="button" className="btn btn-primary btn-small" onClick={() => setEditing('new')} data-testid="queue-new">
            {t('admin.queue.new')}
          </button>
        </div>
        {queues.error && <ErrorNote message={queues.error} />}
        <table className="table table-click" data-testid="admin-queues">
          <thead>
            <tr>
              <th className="num">ID</th>
              <th>{t('admin.queue.name')}</th>
              <th>{t('admin.queue.hours')}</th>
              <th className="num">{t('admin.queue.agents')}</th>
              <th>{t('admin.queue.enabled')}</th>
            </tr>
          </thead>
          <tbody>
            {(queues.data ?? []).map((q) => (
              <tr
                key={q.id}
                className={editing !== 'new' && editing?.id === q.id ? 'selected' : ''}
                onClick={() => setEditing(q)}
                data-testid="admin-queue-row"
                data-queue-id={q.id}
                data-assignment={q.assignment}
              >
                <td className="num">{q.id}</td>
                <td>
                  {q.name}
                  {q.assignment === 'manual' && (
                    <>
                      {' '}
                      <span className="tag" data-testid="admin-queue-manual">
                        {t('admin.queue.manual')}
                      </span>
                    </>
                  )}
                  {q.assignment === 'offer' && (
                    <>
                      {' '}
                      <span className="tag" data-testid="admin-queue-offer">
                        {t('admin.queue.offer')}
                      </span>
                    </>
                  )}
                </td>
                <td className="small">
                  {q.hours === null ? t('admin.queue.alwaysOpen') : t('admin.queue.scheduled', { tz: q.timezone })} <DatesSummary queue={q} />
                </td>
                <td className="num">{q.agentIds.length}</td>
                <td>{q.enabled ? t('common.yes') : <span className="bad">{t('common.no')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {editing && (
        <QueueForm
          key={editing === 'new' ? 'new' : editing.id}
          queue={editing === 'new' ? null : editing}
          agents={agents.data ?? []}
          onSaved={saved}
          onCancel={() => setEditing(null)}
        />
      )}
    </div>
  );
}

export function QueueForm({ queue, agents, onSaved, onCancel }: { queue: AdminQueue | null; agents: AdminAgent[]; onSaved: (q: AdminQueue) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [id, setId] = useState(queue ? String(queue.id) : '');
  const [name, setName] = useState(queue?.name ?? '');
  const [timezone, setTimezone] = useState(queue?.timezone ?? 'Asia/Shanghai');
  const [alwaysOpen, setAlwaysOpen] = useState(queue ? queue.hours === null : true);
  const [hoursText, setHoursText] = useState<HoursText>(() => hoursToText(queue?.hours ?? null));
  const [maxWaitSeconds, setMaxWait] = useState(String(queue?.maxWaitSeconds ?? 600));
  const [maxLength, setMaxLength] = useState(String(queue?.maxLength ?? 100));
  const [dropAfter, setDropAfter] = useState(queue?.dropAfterSilentSeconds ? String(queue.dropAfterSilentSeconds) : '');
  const [policy, setPolicy] = useState<AdminQueue['whenNoAgentOnline']>(queue?.whenNoAgentOnline ?? 'refuse');
  const [assignment, setAssignment] = useState<QueueAssignment>(queue?.assignment ?? 'auto');
  const [offerTimeout, setOfferTimeout] = useState(String(queue?.offerTimeoutSeconds ?? 20));
  const [maxRefusals, setMaxRefusals] = useState(String(queue?.maxRefusals ?? 3));
  const [enabled, setEnabled] = useState(queue?.enabled ?? true);
  const [agentIds, setAgentIds] = useState<string[]>(queue?.agentIds ?? []);
  const [positionZh, setPositionZh] = useState(queue?.positionMessage?.['zh-CN'] ?? '');
  const [positionEn, setPositionEn] = useState(queue?.positionMessage?.en ?? '');
  const save = useSave();
  const parsed = useMemo(() => textToHours(hoursText), [hoursText]);
  const dates = useQueueDates(queue);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    save.reset();
    const badHours = !alwaysOpen && parsed.invalid.length > 0;
    if (badHours) save.fail(t('admin.queue.badHours', { days: parsed.invalid.map((d: Weekday) => t(`weekday.${d}`)).join('、') }));
    if (!dates.valid) dates.setChecked(true);
    const position = positionMessageOf(positionZh, positionEn);
    if (!position.ok && !badHours) save.fail(t(position.error));
    if (badHours || !dates.valid || !position.ok) return;
    const body: QueueUpdate = {
      name: name.trim(),
      timezone: timezone.trim(),
      hours: alwaysOpen ? null : parsed.hours,
      maxWaitSeconds: Number(maxWaitSeconds),
      maxLength: Number(maxLength),
      dropAfterSilentSeconds: dropAfter.trim() === '' ? null : Number(dropAfter),
      whenNoAgentOnline: policy,
      assignment,
      offerTimeoutSeconds: Number(offerTimeout),
      maxRefusals: Number(maxRefusals),
      enabled,
      // Always sent: a PUT replaces the queue's settings, so a field left out would be cleared.
      closedDates: dates.closed.closedDates,
      specialHours: dates.special.specialHours,
      positionMessage: position.value,
      agentIds,
    };
    await save.run(async () => onSaved(queue ? await adminApi.updateQueue(queue.id, body) : await adminApi.createQueue({ id: Number(id), ...body })));
  };

  return (
    <form className="card admin-form" onSubmit={(e) => void submit(e)} data-testid="queue-form">
      <div className="card-head">
        <h2>{queue ? t('admin.queue.edit', { name: queue.name }) : t('admin.queue.new')}</h2>
        <button type="button" className="btn btn-small" onClick={onCancel}>
          {t('common.close')}
        </button>
      </div>
      <div className="form-grid">
        <Field label="ID" hint={queue ? undefined : t('admin.queue.idHint')}>
          <input value={id} onChange={(e) => setId(e.target.value)} disabled={queue !== null} required type="number" min={1} step={1} data-testid="queue-id" />
        </Field>
        <Field label={t('admin.queue.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} data-testid="queue-name" />
        </Field>
        <Field label={t('admin.queue.timezone')}>
          <input value={timezone} onChange={(e) => setTimezone(e.target.value)} list="ewc-timezones" maxLength={64} data-testid="queue-timezone" />
          <datalist id="ewc-timezones">
            {TIME_ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
        <Field label={t('admin.queue.maxWaitSeconds')} hint={t('admin.queue.maxWaitHint')}>
          <input value={maxWaitSeconds} onChange={(e) => setMaxWait(e.target.value)} type="number" min={1} max={86400} required data-testid="queue-max-wait" />
        </Field>
        <Field label={t('admin.queue.dropAfter')} hint={t('admin.queue.dropAfterHint')}>
          <input value={dropAfter} onChange={(e) => setDropAfter(e.target.value)} type="number" min={1} max={86400} data-testid="queue-drop-after" />
        </Field>
        <Field label={t('admin.queue.maxLength')} hint={t('admin.queue.maxLengthHint')}>
          <input value={maxLength} onChange={(e) => setMaxLength(e.target.value)} type="number" min={1} max={100000} required data-testid="queue-max-length" />
        </Field>
        <Field label={t('admin.queue.whenNoAgentOnline')}>
          <select value={policy} onChange={(e) => setPolicy(e.target.value === 'wait' ? 'wait' : 'refuse')} data-testid="queue-policy">
            <option value="refuse">{t('admin.queue.policyRefuse')}</option>
            <option value="wait">{t('admin.queue.policyWait')}</option>
          </select>
        </Field>
        <Field label={t('admin.queue.assignment')} hint={t('admin.queue.assignmentHint')}>
          <select value={assignment} onChange={(e) => setAssignment(QUEUE_ASSIGNMENTS.find((a) => a === e.target.value) ?? 'auto')} data-testid="queue-assignment">
            <option value="auto">{t('admin.queue.assignmentAuto')}</option>
            <option value="offer">{t('admin.queue.assignmentOffer')}</option>
            <option value="manual">{t('admin.queue.assignmentManual')}</option>
          </select>
        </Field>
        {assignment === 'offer' && (
          <>
            <Field label={t('admin.queue.offerTimeout')} hint={t('admin.queue.offerTimeoutHint')}>
              <input value={offerTimeout} onChange={(e) => setOfferTimeout(e.target.value)} type="number" min={1} max={600} required data-testid="queue-offer-timeout" />
            </Field>
            <Field label={t('admin.queue.maxRefusals')} hint={t('admin.queue.maxRefusalsHint')}>
              <input value={maxRefusals} onChange={(e) => setMaxRefusals(e.target.value)} type="number" min={1} max={100} required data-testid="queue-max-refusals" />
            </Field>
          </>
        )}
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="queue-enabled" />
          {t('admin.queue.enabled')}
        </label>
      </div>
      <HoursEditor
        alwaysOpen={alwaysOpen}
        text={hoursText}
        invalid={alwaysOpen ? [] : parsed.invalid}
        onAlwaysOpen={setAlwaysOpen}
        onText={(d, v) => setHoursText((h) => ({ ...h, [d]: v }))}
      />
      <DatesEditor dates={dates} timezone={timezone} />
      <fieldset data-testid="queue-position-message">
        <legend>{t('admin.queue.positionMessage')}</legend>
        <div className="form-grid">
          <Field label={t('admin.queue.positionZh')}>
            <input value={positionZh} onChange={(e) => setPositionZh(e.target.value)} maxLength={200} placeholder="当前排在第{position}位" data-testid="queue-position-zh" />
          </Field>
          <Field label={t('admin.queue.positionEn')}>
            <input value={positionEn} onChange={(e) => setPositionEn(e.target.value)} maxLength={200} placeholder="You are number {position} in the queue" data-testid="queue-position-en" />
          </Field>
        </div>
        <p className="field-hint">{t('admin.queue.positionMessageHint')}</p>
      </fieldset>
      <fieldset className="checks" data-testid="queue-agents">
        <legend>{t('admin.queue.agents')}</legend>
        {agents.map((a) => (
          <label key={a.id} className="check">
            <input
              type="checkbox"
              checked={agentIds.includes(a.id)}
              onChange={(e) => setAgentIds((ids) => (e.target.checked ? [...ids, a.id] : ids.filter((x) => x !== a.id)))}
              data-agent-id={a.id}
            />
            {a.alias || a.name} <span className="muted">({a.id})</span>
          </label>
        ))}
        {agents.length === 0 && <span className="muted">{t('admin.agent.none')}</span>}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.busy} data-testid="queue-save">
          {t('common.save')}
        </button>
        {save.done && <span className="ok-text">{t('admin.saved')}</span>}
      </div>
      {save.error && <ErrorNote message={save.error} />}
    </form>
  );
}

