import { FormSection } from '../../components/FormSection.js';
import { InputField } from '../../components/InputField.js';
import { SelectField, type SelectOption } from '../../components/SelectField.js';
import type { PipelineFormSectionProps } from './form-section-props.js';
import { ModelRunnerFields } from './ModelRunnerFields.js';
import type { StoredApiKey } from './pipeline-form-state.js';
import { fieldId } from './pipeline-form-validation.js';
import { RUNNER_TYPES, type RunnerType } from './pipeline-types.js';

/** How each runner type is named in the select. */
const RUNNER_LABELS: Record<RunnerType, string> = {
  echo: 'Echo (no model)',
  bench: 'Bench (load tests)',
  'openai-compatible': 'OpenAI-compatible',
  anthropic: 'Anthropic',
};

/** Shown when the server's descriptions could not be loaded. */
export const FALLBACK_RUNNER_DESCRIPTIONS: Record<RunnerType, string> = {
  echo: 'Echoes the message back word by word. No model, no API key.',
  bench: 'Streams fixed-size numbered chunks at a fixed interval, for load tests.',
  'openai-compatible':
    'Any OpenAI-compatible Chat Completions endpoint: OpenAI, DeepSeek, Ollama, vLLM, LM Studio, OpenRouter…',
  anthropic: "Anthropic's Messages API (Claude models).",
};

const RUNNER_OPTIONS: SelectOption<RunnerType>[] = RUNNER_TYPES.map((type) => ({
  value: type,
  label: RUNNER_LABELS[type],
}));

/** Props of {@link RunnerFields}. */
export interface RunnerFieldsProps extends PipelineFormSectionProps {
  /** The runner types the server offers, with their descriptions. */
  runnerDescriptions: Record<RunnerType, string>;
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
  return (
    <FormSection legend="Runner and model" description="What produces the replies.">
      <SelectField
        id={fieldId('runner.type')}
        label="Runner"
        value={type}
        options={RUNNER_OPTIONS}
        onChange={(runnerType) => update((current) => ({ ...current, runnerType }))}
        hint={runnerDescriptions[type]}
        error={errors['runner.type']}
      />
      {type === 'echo' && (
        <div className="grid gap-4 sm:grid-cols-3">
          <InputField
            id={fieldId('runner.settings.delay_ms')}
            label="Delay between words (ms)"
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
            label="Chunks"
            type="number"
            inputMode="numeric"
            min={1}
            max={100_000}
            step={1}
            value={values.bench.chunks}
            onChange={(chunks) =>
              update((current) => ({ ...current, bench: { ...current.bench, chunks } }))
            }
            hint="1–100,000 chunks per reply"
            error={errors['runner.settings.chunks']}
          />
          <InputField
            id={fieldId('runner.settings.chunk_bytes')}
            label="Chunk bytes"
            type="number"
            inputMode="numeric"
            min={1}
            max={65_536}
            step={1}
            value={values.bench.chunkBytes}
            onChange={(chunkBytes) =>
              update((current) => ({ ...current, bench: { ...current.bench, chunkBytes } }))
            }
            hint="1–65,536 ASCII bytes each"
            error={errors['runner.settings.chunk_bytes']}
          />
          <InputField
            id={fieldId('runner.settings.interval_ms')}
            label="Interval (ms)"
            type="number"
            inputMode="numeric"
            min={0}
            max={60_000}
            step={1}
            value={values.bench.intervalMs}
            onChange={(intervalMs) =>
              update((current) => ({ ...current, bench: { ...current.bench, intervalMs } }))
            }
            hint="0–60,000 between chunks"
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
