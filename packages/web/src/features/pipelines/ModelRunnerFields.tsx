import type { MessageKey } from '../../i18n/catalogues.js';
import { useI18n } from '../../i18n/i18n-context.js';
import type { Translate } from '../../i18n/translate.js';
import { CheckboxField } from '../../components/CheckboxField.js';
import { InputField } from '../../components/InputField.js';
import type { PipelineFormSectionProps } from './form-section-props.js';
import {
  DEFAULT_BASE_URLS,
  modelRunnerValues,
  storedKeyFate,
  type ModelRunnerFormValues,
  type PipelineFormValues,
  type StoredApiKey,
} from './pipeline-form-state.js';
import { fieldId } from './pipeline-form-validation.js';

type ModelRunnerType = 'openai-compatible' | 'anthropic';

/** Props of {@link ModelRunnerFields}. */
export interface ModelRunnerFieldsProps extends PipelineFormSectionProps {
  type: ModelRunnerType;
  storedApiKey: StoredApiKey | undefined;
}

const MODEL_EXAMPLES: Record<ModelRunnerType, MessageKey> = {
  'openai-compatible': 'model.examplesOpenai',
  anthropic: 'model.examplesAnthropic',
};

/** The hint under the API key: what an empty field does with the key stored now. */
function apiKeyHint(
  type: ModelRunnerType,
  values: PipelineFormValues,
  storedApiKey: StoredApiKey | undefined,
  t: Translate,
): string {
  const settings = modelRunnerValues(values, type);
  switch (storedKeyFate(values, storedApiKey)) {
    case 'kept':
      return settings.removeStoredApiKey ? t('model.keyWillBeRemoved') : t('model.keyIsSet');
    case 'dropped':
      return t('model.keyDropped');
    case 'none':
      return type === 'anthropic' ? t('model.keyRequiredAnthropic') : t('model.keyBearer');
  }
}

/** Base URL, model, API key (write-only) and timeout of a runner that calls a model. */
export function ModelRunnerFields({
  type,
  values,
  errors,
  update,
  storedApiKey,
}: ModelRunnerFieldsProps) {
  const settings = modelRunnerValues(values, type);
  const { t } = useI18n();
  const change = (patch: Partial<ModelRunnerFormValues>): void =>
    update((current) => {
      const next = { ...modelRunnerValues(current, type), ...patch };
      return type === 'anthropic'
        ? { ...current, anthropic: next }
        : { ...current, openAiCompatible: next };
    });
  const keyIsKept = storedKeyFate(values, storedApiKey) === 'kept';

  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <div className="sm:col-span-2">
        <InputField
          id={fieldId('runner.settings.base_url')}
          label={t('model.baseUrl')}
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder={DEFAULT_BASE_URLS[type]}
          value={settings.baseUrl}
          onChange={(baseUrl) => change({ baseUrl })}
          hint={t('model.baseUrlHint', { url: DEFAULT_BASE_URLS[type] })}
          error={errors['runner.settings.base_url']}
        />
      </div>
      <InputField
        id={fieldId('runner.settings.model')}
        label={t('model.model')}
        autoComplete="off"
        spellCheck={false}
        required
        maxLength={200}
        value={settings.model}
        onChange={(model) => change({ model })}
        hint={t(MODEL_EXAMPLES[type])}
        error={errors['runner.settings.model']}
      />
      <InputField
        id={fieldId('runner.settings.timeout_ms')}
        label={t('model.timeout')}
        type="number"
        inputMode="numeric"
        min={1_000}
        max={600_000}
        step={1}
        value={settings.timeoutMs}
        onChange={(timeoutMs) => change({ timeoutMs })}
        hint={t('model.timeoutHint')}
        error={errors['runner.settings.timeout_ms']}
      />
      <div className="sm:col-span-2">
        <CheckboxField
          id={fieldId('runner.settings.vision')}
          label="The model accepts images"
          checked={settings.vision}
          onChange={(vision) => change({ vision })}
          hint="On: images in messages reach the model. Off: messages with images are refused (IMAGES_NOT_SUPPORTED)."
        />
      </div>
      <div className="space-y-2 sm:col-span-2">
        <InputField
          id={fieldId('runner.settings.api_key')}
          label={t('model.apiKey')}
          type="password"
          // "new-password": a browser must not fill the admin's saved console password in here.
          autoComplete="new-password"
          spellCheck={false}
          placeholder={keyIsKept ? t('model.apiKeyKeptPlaceholder') : undefined}
          disabled={keyIsKept && settings.removeStoredApiKey}
          value={settings.apiKey}
          onChange={(apiKey) => change({ apiKey })}
          hint={apiKeyHint(type, values, storedApiKey, t)}
          error={errors['runner.settings.api_key']}
        />
        {keyIsKept && (
          <CheckboxField
            id="pipeline-runner-settings-remove-api-key"
            label={t('model.removeStoredKey')}
            checked={settings.removeStoredApiKey}
            onChange={(removeStoredApiKey) => change({ removeStoredApiKey, apiKey: '' })}
          />
        )}
      </div>
    </div>
  );
}
