import { useI18n } from '../../i18n/i18n-context.js';
import { CheckboxField } from '../../components/CheckboxField.js';
import { FormSection } from '../../components/FormSection.js';
import { InputField } from '../../components/InputField.js';
import { TextAreaField } from '../../components/TextAreaField.js';
import type { PipelineFormSectionProps } from './form-section-props.js';
import { fieldId } from './pipeline-form-validation.js';

/** When a message in a group conversation gets a reply (person conversations always do). */
export function GroupTriggerFields({ values, errors, update }: PipelineFormSectionProps) {
  const { t } = useI18n();
  return (
    <FormSection legend={t('group.legend')} description={t('group.description')}>
      <CheckboxField
        id={fieldId('group_triggers.mention')}
        label={t('group.mention')}
        checked={values.mention}
        onChange={(mention) => update((current) => ({ ...current, mention }))}
        hint={t('group.mentionHint')}
        error={errors['group_triggers.mention']}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextAreaField
          id={fieldId('group_triggers.prefixes')}
          label={t('group.prefixes')}
          rows={3}
          spellCheck={false}
          placeholder="/ask"
          value={values.prefixes}
          onChange={(prefixes) => update((current) => ({ ...current, prefixes }))}
          hint={t('group.prefixesHint')}
          error={errors['group_triggers.prefixes']}
        />
        <InputField
          id={fieldId('group_triggers.probability')}
          label={t('group.probability')}
          type="number"
          inputMode="decimal"
          min={0}
          max={1}
          step="any"
          value={values.probability}
          onChange={(probability) => update((current) => ({ ...current, probability }))}
          hint={t('group.probabilityHint')}
          error={errors['group_triggers.probability']}
        />
      </div>
    </FormSection>
  );
}
