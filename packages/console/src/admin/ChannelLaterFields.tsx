/**
 * A channel's later-wire settings in its form: the later callbacks it asked for, where callbacks
 * go under its base, the language of its position sentences, and what its customers may upload.
 */
import { LATER_CALLBACKS, MAX_UPLOAD_BYTES, UPLOAD_TYPES, type ChannelView, type LaterCallback } from '@elitewebchat/protocol/browser';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../ui/Field';
import { formatBytes } from '../ui/format';
import { callbackPathOf, DEFAULT_CALLBACK_PATH, uploadsForm, uploadsOf, type Checked, type UploadsForm } from './later-settings';

type Language = ChannelView['language'];
export type ChannelLaterBody = Pick<ChannelView, 'laterCallbacks' | 'language' | 'uploads'> & { callbackPath: string | null };

export interface ChannelLater {
  laterCallbacks: LaterCallback[];
  setLaterCallbacks: (f: (list: LaterCallback[]) => LaterCallback[]) => void;
  callbackPath: string;
  setCallbackPath: (v: string) => void;
  language: Language;
  setLanguage: (v: Language) => void;
  uploads: UploadsForm;
  setUploads: (f: (u: UploadsForm) => UploadsForm) => void;
}

/** The form's state, starting from the channel's own values (a PUT sends them all back). */
export function useChannelLater(channel: ChannelView | null): ChannelLater {
  const [laterCallbacks, setLaterCallbacks] = useState<LaterCallback[]>(channel?.laterCallbacks ?? []);
  const [callbackPath, setCallbackPath] = useState(channel && channel.callbackPath !== DEFAULT_CALLBACK_PATH ? channel.callbackPath : '');
  const [language, setLanguage] = useState<Language>(channel?.language ?? 'zh-CN');
  const [uploads, setUploads] = useState<UploadsForm>(() => uploadsForm(channel?.uploads));
  return { laterCallbacks, setLaterCallbacks, callbackPath, setCallbackPath, language, setLanguage, uploads, setUploads };
}

/** What the API takes, or the i18n key of what is wrong. */
export function channelLaterBody(state: Pick<ChannelLater, 'laterCallbacks' | 'callbackPath' | 'language' | 'uploads'>): Checked<ChannelLaterBody> {
  const path = callbackPathOf(state.callbackPath);
  if (!path.ok) return path;
  const uploads = uploadsOf(state.uploads);
  if (!uploads.ok) return uploads;
  return {
    ok: true,
    value: {
      laterCallbacks: LATER_CALLBACKS.filter((c) => state.laterCallbacks.includes(c)),
      callbackPath: path.value,
      language: state.language,
      uploads: uploads.value,
    },
  };
}

export function ChannelLaterFields({ later }: { later: ChannelLater }) {
  const { t, i18n } = useTranslation();
  const { uploads, setUploads } = later;
  const bytes = Number(uploads.maxBytes);
  return (
    <fieldset className="later-editor" data-testid="channel-later">
      <legend>{t('admin.channel.later')}</legend>
      <fieldset className="checks checks-column" data-testid="channel-later-callbacks">
        <legend>{t('admin.channel.laterCallbacks')}</legend>
        {LATER_CALLBACKS.map((c) => (
          <label key={c} className="check">
            <input
              type="checkbox"
              checked={later.laterCallbacks.includes(c)}
              onChange={(e) => later.setLaterCallbacks((list) => (e.target.checked ? [...list, c] : list.filter((x) => x !== c)))}
              data-testid="channel-later-callback"
              data-callback={c}
            />
            {t(`admin.channel.laterCallback.${c}`)}
          </label>
        ))}
        <p className="field-hint">{t('admin.channel.laterCallbacksHint')}</p>
      </fieldset>
      <div className="form-grid">
        <Field label={t('admin.channel.callbackPath')} hint={t('admin.channel.callbackPathHint')}>
          <input
            value={later.callbackPath}
            onChange={(e) => later.setCallbackPath(e.target.value)}
            maxLength={200}
            placeholder={DEFAULT_CALLBACK_PATH}
            className="mono"
            data-testid="channel-callback-path"
          />
        </Field>
        <Field label={t('admin.channel.language')}>
          <select value={later.language} onChange={(e) => later.setLanguage(e.target.value === 'en' ? 'en' : 'zh-CN')} data-testid="channel-language">
            <option value="zh-CN">{t('admin.channel.languageZh')}</option>
            <option value="en">{t('admin.channel.languageEn')}</option>
          </select>
        </Field>
      </div>
      <fieldset data-testid="channel-uploads">
        <legend>{t('admin.channel.uploads')}</legend>
        <div className="radio-row">
          <label className="check">
            <input type="radio" name="uploads" checked={!uploads.on} onChange={() => setUploads((u) => ({ ...u, on: false }))} data-testid="channel-uploads-off" />
            {t('admin.channel.uploadsOff')}
          </label>
          <label className="check">
            <input type="radio" name="uploads" checked={uploads.on} onChange={() => setUploads((u) => ({ ...u, on: true }))} data-testid="channel-uploads-on" />
            {t('admin.channel.uploadsOn')}
          </label>
        </div>
        {uploads.on && (
          <>
            <Field
              label={t('admin.channel.maxBytes')}
              hint={t('admin.channel.maxBytesHint', {
                size: Number.isSafeInteger(bytes) && bytes > 0 ? formatBytes(bytes, i18n.language) : '—',
                max: formatBytes(MAX_UPLOAD_BYTES, i18n.language),
              })}
            >
              <input
                value={uploads.maxBytes}
                onChange={(e) => setUploads((u) => ({ ...u, maxBytes: e.target.value }))}
                type="number"
                min={1}
                max={MAX_UPLOAD_BYTES}
                step={1}
                required
                data-testid="channel-max-bytes"
              />
            </Field>
            <fieldset className="checks" data-testid="channel-upload-types">
              <legend>{t('admin.channel.uploadTypes')}</legend>
              {UPLOAD_TYPES.map((type) => (
                <label key={type} className="check">
                  <input
                    type="checkbox"
                    checked={uploads.types.includes(type)}
                    onChange={(e) => setUploads((u) => ({ ...u, types: e.target.checked ? [...u.types, type] : u.types.filter((x) => x !== type) }))}
                    data-testid="channel-upload-type"
                    data-type={type}
                  />
                  <span className="mono">{type}</span>
                </label>
              ))}
            </fieldset>
          </>
        )}
      </fieldset>
    </fieldset>
  );
}
