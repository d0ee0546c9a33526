import { FormSection } from '../../components/FormSection.js';
import { InputField } from '../../components/InputField.js';
import { TextAreaField } from '../../components/TextAreaField.js';
import type { PipelineFormSectionProps } from './form-section-props.js';
import { fieldId } from './pipeline-form-validation.js';

/** What the model is told and sees: system prompt, model parameters and memory. */
export function BehaviourFields({ values, errors, update }: PipelineFormSectionProps) {
  const modelless = values.runnerType === 'echo' || values.runnerType === 'bench';
  return (
    <FormSection
      legend="Prompt and model parameters"
      description={
        modelless
          ? 'Used by model runners; the echo and bench runners ignore them.'
          : 'Sent with every message to the model.'
      }
    >
      <TextAreaField
        id={fieldId('system_prompt')}
        label="System prompt"
        rows={5}
        value={values.systemPrompt}
        onChange={(systemPrompt) => update((current) => ({ ...current, systemPrompt }))}
        hint="Sent as the system message before the conversation. Empty: no system message. Up to 50,000 characters."
        error={errors.system_prompt}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <InputField
          id={fieldId('model_parameters.temperature')}
          label="Temperature"
          type="number"
          inputMode="decimal"
          min={0}
          max={2}
          step="any"
          placeholder="provider default"
          value={values.temperature}
          onChange={(temperature) => update((current) => ({ ...current, temperature }))}
          hint="0–2; empty: the provider's default"
          error={errors['model_parameters.temperature']}
        />
        <InputField
          id={fieldId('model_parameters.max_output_tokens')}
          label="Max output tokens"
          type="number"
          inputMode="numeric"
          min={1}
          max={1_000_000}
          step={1}
          placeholder="provider default"
          value={values.maxOutputTokens}
          onChange={(maxOutputTokens) => update((current) => ({ ...current, maxOutputTokens }))}
          hint="1–1,000,000 per reply; empty: the provider's default"
          error={errors['model_parameters.max_output_tokens']}
        />
        <InputField
          id={fieldId('memory.turns')}
          label="Memory (turns)"
          type="number"
          inputMode="numeric"
          min={0}
          max={200}
          step={1}
          value={values.memoryTurns}
          onChange={(memoryTurns) => update((current) => ({ ...current, memoryTurns }))}
          hint="0–200 earlier turns sent with each message"
          error={errors['memory.turns']}
        />
      </div>
    </FormSection>
  );
}
