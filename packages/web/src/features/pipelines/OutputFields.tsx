import { CheckboxField } from '../../components/CheckboxField.js';
import { FormSection } from '../../components/FormSection.js';
import { InputField } from '../../components/InputField.js';
import type { PipelineFormSectionProps } from './form-section-props.js';
import { fieldId } from './pipeline-form-validation.js';

/** How replies reach the clients: streamed or whole, coalescing, sender mention in groups. */
export function OutputFields({ values, errors, update }: PipelineFormSectionProps) {
  return (
    <FormSection legend="Output">
      <CheckboxField
        id={fieldId('output.streaming')}
        label="Stream replies"
        checked={values.streaming}
        onChange={(streaming) => update((current) => ({ ...current, streaming }))}
        hint="On: the reply arrives in chunks as it is produced. Off: one message with the whole reply."
        error={errors['output.streaming']}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <InputField
          id={fieldId('output.coalesce_ms')}
          label="Coalesce window (ms)"
          type="number"
          inputMode="numeric"
          min={0}
          max={2_000}
          step={1}
          value={values.coalesceMs}
          onChange={(coalesceMs) => update((current) => ({ ...current, coalesceMs }))}
          hint={
            values.streaming
              ? '0–2,000: model deltas within this window are sent as one chunk; 0 sends each.'
              : '0–2,000; only used while streaming is on.'
          }
          error={errors['output.coalesce_ms']}
        />
      </div>
      <CheckboxField
        id={fieldId('output.mention_sender_in_group')}
        label="Mention the sender in group replies"
        checked={values.mentionSenderInGroup}
        onChange={(mentionSenderInGroup) =>
          update((current) => ({ ...current, mentionSenderInGroup }))
        }
        hint="Group replies start with @ and the name of the person they answer."
        error={errors['output.mention_sender_in_group']}
      />
      <CheckboxField
        id={fieldId('images.allow_urls')}
        label="Accept images by URL"
        checked={values.allowImageUrls}
        onChange={(allowImageUrls) => update((current) => ({ ...current, allowImageUrls }))}
        hint="Messages may name an http(s) image URL, passed to the model as it is; uploaded images are always accepted."
      />
    </FormSection>
  );
}
