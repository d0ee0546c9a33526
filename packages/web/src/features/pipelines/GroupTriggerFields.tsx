import { CheckboxField } from '../../components/CheckboxField.js';
import { FormSection } from '../../components/FormSection.js';
import { InputField } from '../../components/InputField.js';
import { TextAreaField } from '../../components/TextAreaField.js';
import type { PipelineFormSectionProps } from './form-section-props.js';
import { fieldId } from './pipeline-form-validation.js';

/** When a message in a group conversation gets a reply (person conversations always do). */
export function GroupTriggerFields({ values, errors, update }: PipelineFormSectionProps) {
  return (
    <FormSection
      legend="Group conversations"
      description="When the bot answers in a shared chat. In person conversations every message gets a reply."
    >
      <CheckboxField
        id={fieldId('group_triggers.mention')}
        label="Reply when mentioned"
        checked={values.mention}
        onChange={(mention) => update((current) => ({ ...current, mention }))}
        hint="A message with an At of the pipeline's uuid or websocket-proxy-bot."
        error={errors['group_triggers.mention']}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextAreaField
          id={fieldId('group_triggers.prefixes')}
          label="Prefixes"
          rows={3}
          spellCheck={false}
          placeholder="/ask"
          value={values.prefixes}
          onChange={(prefixes) => update((current) => ({ ...current, prefixes }))}
          hint="One per line, up to 20 of 1–32 characters. Reply when the text starts with one (case-sensitive)."
          error={errors['group_triggers.prefixes']}
        />
        <InputField
          id={fieldId('group_triggers.probability')}
          label="Reply probability"
          type="number"
          inputMode="decimal"
          min={0}
          max={1}
          step="any"
          value={values.probability}
          onChange={(probability) => update((current) => ({ ...current, probability }))}
          hint="0–1 for any other message: 0 never, 1 every message."
          error={errors['group_triggers.probability']}
        />
      </div>
    </FormSection>
  );
}
