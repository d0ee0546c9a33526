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

const MODEL_EXAMPLES: Record<ModelRunnerType, string> = {
  'openai-compatible': 'e.g. gpt-4o-mini, llama3.2, deepseek-chat',
  anthropic: 'e.g. claude-sonnet-4-5, claude-3-5-haiku-latest',
};

/** The hint under the API key: what an empty field does with the key stored now. */
function apiKeyHint(
  type: ModelRunnerType,
  values: PipelineFormValues,
  storedApiKey: StoredApiKey | undefined,
): string {
  const settings = modelRunnerValues(values, type);
  switch (storedKeyFate(values, storedApiKey)) {
    case 'kept':
      return settings.removeStoredApiKey
        ? 'The stored key will be removed when you save.'
        : 'A key is set — leave empty to keep it, or type a new one to replace it. It is never shown.';
    case 'dropped':
      return 'The stored key is kept only for the same runner and base URL: type the key for this address, or leave empty to send none.';
    case 'none':
      return type === 'anthropic'
        ? 'Required by Anthropic: without a key every reply fails. Stored write-only.'
        : 'Sent as a Bearer token. Leave empty for local servers (Ollama, LM Studio, vLLM). Stored write-only.';
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
          label="Base URL"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder={DEFAULT_BASE_URLS[type]}
          value={settings.baseUrl}
          onChange={(baseUrl) => change({ baseUrl })}
          hint={`Up to and including the version, e.g. http://localhost:11434/v1. Empty: ${DEFAULT_BASE_URLS[type]}`}
          error={errors['runner.settings.base_url']}
        />
      </div>
      <InputField
        id={fieldId('runner.settings.model')}
        label="Model"
        autoComplete="off"
        spellCheck={false}
        required
        maxLength={200}
        value={settings.model}
        onChange={(model) => change({ model })}
        hint={MODEL_EXAMPLES[type]}
        error={errors['runner.settings.model']}
      />
      <InputField
        id={fieldId('runner.settings.timeout_ms')}
        label="Timeout (ms)"
        type="number"
        inputMode="numeric"
        min={1_000}
        max={600_000}
        step={1}
        value={settings.timeoutMs}
        onChange={(timeoutMs) => change({ timeoutMs })}
        hint="1,000–600,000, for the whole reply"
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
          label="API key"
          type="password"
          // "new-password": a browser must not fill the admin's saved console password in here.
          autoComplete="new-password"
          spellCheck={false}
          placeholder={keyIsKept ? 'set — leave empty to keep' : undefined}
          disabled={keyIsKept && settings.removeStoredApiKey}
          value={settings.apiKey}
          onChange={(apiKey) => change({ apiKey })}
          hint={apiKeyHint(type, values, storedApiKey)}
          error={errors['runner.settings.api_key']}
        />
        {keyIsKept && (
          <CheckboxField
            id="pipeline-runner-settings-remove-api-key"
            label="Remove the stored key"
            checked={settings.removeStoredApiKey}
            onChange={(removeStoredApiKey) => change({ removeStoredApiKey, apiKey: '' })}
          />
        )}
      </div>
    </div>
  );
}
