import type { MessageKey } from '../../i18n/catalogues.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { FormSection } from '../../components/FormSection.js';
import { InputField } from '../../components/InputField.js';
import { SelectField, type SelectOption } from '../../components/SelectField.js';
import type { PipelineFormSectionProps } from './form-section-props.js';
import { ModelRunnerFields } from './ModelRunnerFields.js';
import type { StoredApiKey } from './pipeline-form-state.js';
import { fieldId } from './pipeline-form-validation.js';
import { RUNNER_TYPES, type RunnerType } from './pipeline-types.js';

/** How each runner type is named in the select. */
const RUNNER_LABELS: Record<RunnerType, MessageKey> = {
  echo: 'runner.echo',
  bench: 'runner.bench',
  'openai-compatible': 'runner.openaiCompatible',
  anthropic: 'runner.anthropic',
};

/** The console's own description of each runner type, in every language. */
const RUNNER_DESCRIPTIONS: Record<RunnerType, MessageKey> = {
  echo: 'runner.echoDescription',
  bench: 'runner.benchDescription',
  'openai-compatible': 'runner.openaiCompatibleDescription',
  anthropic: 'runner.anthropicDescription',
};

/** Props of {@link RunnerFields}. */
export interface RunnerFieldsProps extends PipelineFormSectionProps {
  /**
   * The server's (English) descriptions of the runner types it offers, shown in English; other
   * languages, and types the server did not describe, get the console's translated ones.
   */
  runnerDescriptions?: Partial<Record<RunnerType, string>>;
  /** The stored key of the pipeline being edited; undefined when creating. */
  storedApiKey: StoredApiKey | undefined;
}

/** The runner select and the settings of the chosen runner type. */
export function RunnerFields({
  values,
  errors,
  update,
  runnerDescriptions,
  storedApiKey,
}: RunnerFieldsProps) {
  const type = values.runnerType;
  const { t, locale } = useI18n();
  const runnerOptions: SelectOption<RunnerType>[] = RUNNER_TYPES.map((value) => ({
    value,
    label: t(RUNNER_LABELS[value]),
  }));
  const serverDescription = locale === 'en' ? runnerDescriptions?.[type] : undefined;
  return (
    <FormSection legend={t('runner.legend')} description={t('runner.description')}>
      <SelectField
        id={fieldId('runner.type')}
        label={t('runner.label')}
        value={type}
        options={runnerOptions}
        onChange={(runnerType) => update((current) => ({ ...current, runnerType }))}
        hint={serverDescription ?? t(RUNNER_DESCRIPTIONS[type])}
        error={errors['runner.type']}
      />
      {type === 'echo' && (
        <div className="grid gap-4 sm:grid-cols-3">
          <InputField
            id={fieldId('runner.settings.delay_ms')}
            label={t('runner.delay')}
            type="number"
            inputMode="numeric"
            min={0}
            max={10_000}
            step={1}
            value={values.echo.delayMs}
            onChange={(delayMs) => update((current) => ({ ...current, echo: { delayMs } }))}
            hint="0–10,000"
            error={errors['runner.settings.delay_ms']}
          />
        </div>
      )}
      {type === 'bench' && (
        <div className="grid gap-4 sm:grid-cols-3">
          <InputField
            id={fieldId('runner.settings.chunks')}
            label={t('runner.chunks')}
            type="number"
            inputMode="numeric"
            min={1}
            max={100_000}
            step={1}
            value={values.bench.chunks}
            onChange={(chunks) =>
              update((current) => ({ ...current, bench: { ...current.bench, chunks } }))
            }
            hint={t('runner.chunksHint')}
            error={errors['runner.settings.chunks']}
          />
          <InputField
            id={fieldId('runner.settings.chunk_bytes')}
            label={t('runner.chunkBytes')}
            type="number"
            inputMode="numeric"
            min={1}
            max={65_536}
            step={1}
            value={values.bench.chunkBytes}
            onChange={(chunkBytes) =>
              update((current) => ({ ...current, bench: { ...current.bench, chunkBytes } }))
            }
            hint={t('runner.chunkBytesHint')}
            error={errors['runner.settings.chunk_bytes']}
          />
          <InputField
            id={fieldId('runner.settings.interval_ms')}
            label={t('runner.interval')}
            type="number"
            inputMode="numeric"
            min={0}
            max={60_000}
            step={1}
            value={values.bench.intervalMs}
            onChange={(intervalMs) =>
              update((current) => ({ ...current, bench: { ...current.bench, intervalMs } }))
            }
            hint={t('runner.intervalHint')}
            error={errors['runner.settings.interval_ms']}
          />
        </div>
      )}
      {(type === 'openai-compatible' || type === 'anthropic') && (
        // Keyed by type: the two model runners share field ids but not their values.
        <ModelRunnerFields
          key={type}
          type={type}
          values={values}
          errors={errors}
          update={update}
          storedApiKey={storedApiKey}
        />
      )}
    </FormSection>
  );
}
