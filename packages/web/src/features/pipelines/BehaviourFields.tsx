import { useI18n } from '../../i18n/i18n-context.js';
import { FormSection } from '../../components/FormSection.js';
import { InputField } from '../../components/InputField.js';
import { TextAreaField } from '../../components/TextAreaField.js';
import type { PipelineFormSectionProps } from './form-section-props.js';
import { fieldId } from './pipeline-form-validation.js';

/** What the model is told and sees: system prompt, model parameters and memory. */
export function BehaviourFields({ values, errors, update }: PipelineFormSectionProps) {
  const modelless = values.runnerType === 'echo' || values.runnerType === 'bench';
  const { t } = useI18n();
  return (
    <FormSection
      legend={t('behaviour.legend')}
      description={modelless ? t('behaviour.modelless') : t('behaviour.description')}
    >
      <TextAreaField
        id={fieldId('system_prompt')}
        label={t('behaviour.systemPrompt')}
        rows={5}
        value={values.systemPrompt}
        onChange={(systemPrompt) => update((current) => ({ ...current, systemPrompt }))}
        hint={t('behaviour.systemPromptHint')}
        error={errors.system_prompt}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <InputField
          id={fieldId('model_parameters.temperature')}
          label={t('behaviour.temperature')}
          type="number"
          inputMode="decimal"
          min={0}
          max={2}
          step="any"
          placeholder={t('behaviour.providerDefault')}
          value={values.temperature}
          onChange={(temperature) => update((current) => ({ ...current, temperature }))}
          hint={t('behaviour.temperatureHint')}
          error={errors['model_parameters.temperature']}
        />
        <InputField
          id={fieldId('model_parameters.max_output_tokens')}
          label={t('behaviour.maxOutputTokens')}
          type="number"
          inputMode="numeric"
          min={1}
          max={1_000_000}
          step={1}
          placeholder={t('behaviour.providerDefault')}
          value={values.maxOutputTokens}
          onChange={(maxOutputTokens) => update((current) => ({ ...current, maxOutputTokens }))}
          hint={t('behaviour.maxOutputTokensHint')}
          error={errors['model_parameters.max_output_tokens']}
        />
        <InputField
          id={fieldId('memory.turns')}
          label={t('behaviour.memory')}
          type="number"
          inputMode="numeric"
          min={0}
          max={200}
          step={1}
          value={values.memoryTurns}
          onChange={(memoryTurns) => update((current) => ({ ...current, memoryTurns }))}
          hint={t('behaviour.memoryHint')}
          error={errors['memory.turns']}
        />
      </div>
    </FormSection>
  );
}
