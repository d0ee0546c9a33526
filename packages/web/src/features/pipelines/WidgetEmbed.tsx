import { toast } from 'sonner';
import type { WidgetSettings } from '@botwire/client';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { backend, describeError } from '../../lib/backend.js';
import { copyText } from '../chat/CopyButton.js';
import { buildEmbedSnippet } from './widget-settings-logic.js';
import { WIDGET_SECONDARY_BUTTON_CLASS } from './widget-styles.js';

/** Props of {@link WidgetEmbed}. */
export interface WidgetEmbedProps {
  settings: WidgetSettings;
  /** Called with the settings the server answered after a key rotation. */
  onRotated: (settings: WidgetSettings) => void;
}

/** The widget key with its rotation, and the embed snippet with a copy button. */
export function WidgetEmbed({ settings, onRotated }: WidgetEmbedProps) {
  const { t } = useI18n();
  // The console is served by the Botwire server itself, so its origin is the widget's host.
  const snippet = buildEmbedSnippet({
    serverOrigin: window.location.origin,
    pipelineUuid: settings.pipeline_uuid,
    widgetKey: settings.widget_key,
  });

  async function rotate(): Promise<void> {
    try {
      onRotated(await backend.rotateWidgetKey(settings.pipeline_uuid));
      toast.success(t('widget.rotated'));
    } catch (error) {
      toast.error(t('widget.rotateFailed', { error: describeError(error) }));
    }
  }

  async function copy(): Promise<void> {
    try {
      await copyText(snippet);
      toast.success(t('widget.copied'));
    } catch {
      toast.error(t('widget.copyFailed'));
    }
  }

  return (
    <div className="space-y-3">
      <div className="space-y-1">
        <p className="text-sm font-medium" id="widget-key-label">
          {t('widget.key')}
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <code
            aria-labelledby="widget-key-label"
            data-testid="widget-key"
            className="rounded bg-slate-100 px-2 py-1 text-sm break-all dark:bg-slate-800"
          >
            {settings.widget_key}
          </code>
          <ConfirmDialog
            trigger={
              <button type="button" className={WIDGET_SECONDARY_BUTTON_CLASS}>
                {t('widget.rotate')}
              </button>
            }
            title={t('widget.rotateTitle')}
            description={t('widget.rotateDescription')}
            confirmLabel={t('widget.rotate')}
            onConfirm={rotate}
          />
        </div>
        <p className="text-sm text-slate-600 dark:text-slate-300">{t('widget.keyHint')}</p>
      </div>
      <div className="space-y-1">
        <label htmlFor="widget-snippet" className="block text-sm font-medium">
          {t('widget.snippet')}
        </label>
        <textarea
          id="widget-snippet"
          readOnly
          rows={3}
          value={snippet}
          aria-describedby="widget-snippet-hint"
          className="w-full rounded border border-slate-300 bg-slate-50 p-2 font-mono text-xs dark:border-slate-700 dark:bg-slate-900"
        />
        <p id="widget-snippet-hint" className="text-sm text-slate-600 dark:text-slate-300">
          {settings.public ? t('widget.snippetHint') : t('widget.privateNote')}
        </p>
        <button type="button" onClick={() => void copy()} className={WIDGET_SECONDARY_BUTTON_CLASS}>
          {t('widget.copySnippet')}
        </button>
      </div>
    </div>
  );
}
