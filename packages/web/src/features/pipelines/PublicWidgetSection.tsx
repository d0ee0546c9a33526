import { useEffect, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import type { WidgetSettings } from '@botwire/client';
import { CheckboxField } from '../../components/CheckboxField.js';
import { ErrorPanel } from '../../components/ErrorPanel.js';
import { FormSection } from '../../components/FormSection.js';
import { InputField } from '../../components/InputField.js';
import { TextAreaField } from '../../components/TextAreaField.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { backend, describeError } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';
import { WidgetEmbed } from './WidgetEmbed.js';
import {
  NUMERIC_WIDGET_LIMITS,
  firstOriginProblem,
  parseOriginLines,
  parseWidgetLimit,
  widgetLimitBounds,
  type NumericWidgetLimit,
} from './widget-settings-logic.js';
import { WIDGET_PRIMARY_BUTTON_CLASS } from './widget-styles.js';

type LimitTexts = Record<NumericWidgetLimit, string>;

interface Draft {
  public: boolean;
  origins: string;
  limits: LimitTexts;
  allowGroup: boolean;
  allowImages: boolean;
}

function draftOf(settings: WidgetSettings): Draft {
  const limits = {} as LimitTexts;
  for (const limit of NUMERIC_WIDGET_LIMITS) limits[limit] = String(settings.limits[limit]);
  return {
    public: settings.public,
    origins: settings.allowed_origins.join('\n'),
    limits,
    allowGroup: settings.limits.allow_group,
    allowImages: settings.limits.allow_images,
  };
}

/**
 * The pipeline editor's "Public widget" section (admin): public on/off, allowed origins,
 * limits, the widget key with its rotation and the embed snippet. Saved on its own, apart
 * from the pipeline form, through the widget REST routes.
 */
export function PublicWidgetSection({ pipelineUuid }: { pipelineUuid: string }) {
  const { t } = useI18n();
  const { handleUnauthorized } = useAuth();
  const [settings, setSettings] = useState<WidgetSettings | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [draft, setDraft] = useState<Draft | undefined>();
  const [saving, setSaving] = useState(false);
  const [submitted, setSubmitted] = useState(false);

  useEffect(() => {
    let active = true;
    backend.getWidgetSettings(pipelineUuid).then(
      (loaded) => {
        if (!active) return;
        setSettings(loaded);
        setDraft(draftOf(loaded));
      },
      (error: unknown) => {
        if (active && !handleUnauthorized(error)) setLoadError(describeError(error));
      },
    );
    return () => {
      active = false;
    };
  }, [pipelineUuid, handleUnauthorized]);

  if (loadError !== undefined) {
    return <ErrorPanel message={t('widget.loadFailed', { error: loadError })} />;
  }
  if (settings === undefined || draft === undefined) {
    return <p role="status">{t('widget.loading')}</p>;
  }

  const origins = parseOriginLines(draft.origins);
  const problem = firstOriginProblem(origins);
  const originError =
    problem === undefined
      ? undefined
      : t(
          problem.problem === 'scheme'
            ? 'widget.originScheme'
            : problem.problem === 'path'
              ? 'widget.originPath'
              : 'widget.originFormat',
          { origin: problem.origin },
        );
  const limitErrors: Partial<Record<NumericWidgetLimit, string>> = {};
  const limits: Partial<Record<NumericWidgetLimit, number>> = {};
  for (const limit of NUMERIC_WIDGET_LIMITS) {
    const parsed = parseWidgetLimit(limit, draft.limits[limit]);
    if (parsed.ok) limits[limit] = parsed.value;
    else limitErrors[limit] = t('widget.limitOutOfRange', { min: parsed.min, max: parsed.max });
  }
  const valid = originError === undefined && Object.keys(limitErrors).length === 0;

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    setSubmitted(true);
    if (!valid || draft === undefined) return;
    setSaving(true);
    try {
      const saved = await backend.updateWidgetSettings(pipelineUuid, {
        public: draft.public,
        allowed_origins: origins,
        limits: { ...limits, allow_group: draft.allowGroup, allow_images: draft.allowImages },
      });
      setSettings(saved);
      setDraft(draftOf(saved));
      setSubmitted(false);
      toast.success(t('widget.saved'));
    } catch (error) {
      if (!handleUnauthorized(error)) {
        toast.error(t('widget.saveFailed', { error: describeError(error) }));
      }
    } finally {
      setSaving(false);
    }
  }

  const update = (change: Partial<Draft>) => setDraft({ ...draft, ...change });

  return (
    <form
      aria-labelledby="public-widget-title"
      noValidate
      onSubmit={(event) => void save(event)}
      className="space-y-4"
    >
      <h3 id="public-widget-title" className="text-base font-semibold">
        {t('widget.title')}
      </h3>
      <p className="text-sm text-slate-600 dark:text-slate-300">{t('widget.description')}</p>
      <CheckboxField
        id="widget-public"
        label={t('widget.public')}
        checked={draft.public}
        onChange={(checked) => update({ public: checked })}
        hint={t('widget.publicHint')}
      />
      <TextAreaField
        id="widget-origins"
        label={t('widget.origins')}
        value={draft.origins}
        onChange={(value) => update({ origins: value })}
        hint={t('widget.originsHint')}
        error={submitted || draft.origins.includes('\n') ? originError : undefined}
        rows={3}
        spellCheck={false}
      />
      <FormSection legend={t('widget.limits')}>
        <div className="grid gap-4 sm:grid-cols-2">
          {NUMERIC_WIDGET_LIMITS.map((limit) => {
            const { min, max } = widgetLimitBounds(limit);
            return (
              <InputField
                key={limit}
                id={`widget-limit-${limit}`}
                label={t(`widget.limit.${limit}`)}
                value={draft.limits[limit]}
                onChange={(value) => update({ limits: { ...draft.limits, [limit]: value } })}
                error={limitErrors[limit]}
                inputMode="numeric"
                min={min}
                max={max}
              />
            );
          })}
        </div>
        <CheckboxField
          id="widget-allow-group"
          label={t('widget.allowGroup')}
          checked={draft.allowGroup}
          onChange={(checked) => update({ allowGroup: checked })}
        />
        <CheckboxField
          id="widget-allow-images"
          label={t('widget.allowImages')}
          checked={draft.allowImages}
          onChange={(checked) => update({ allowImages: checked })}
        />
      </FormSection>
      <button
        type="submit"
        disabled={saving}
        aria-busy={saving}
        className={WIDGET_PRIMARY_BUTTON_CLASS}
      >
        {saving ? t('widget.saving') : t('widget.save')}
      </button>
      <WidgetEmbed settings={settings} onRotated={setSettings} />
    </form>
  );
}
