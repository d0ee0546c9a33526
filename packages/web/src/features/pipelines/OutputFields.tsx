import { useI18n } from '../../i18n/i18n-context.js';
import { CheckboxField } from '../../components/CheckboxField.js';
import { FormSection } from '../../components/FormSection.js';
import { InputField } from '../../components/InputField.js';
import type { PipelineFormSectionProps } from './form-section-props.js';
import { fieldId } from './pipeline-form-validation.js';

/** How replies reach the clients: streamed or whole, coalescing, sender mention in groups. */
export function OutputFields({ values, errors, update }: PipelineFormSectionProps) {
  const { t } = useI18n();
  return (
    <FormSection legend={t('output.legend')}>
      <CheckboxField
        id={fieldId('output.streaming')}
        label={t('output.streaming')}
        checked={values.streaming}
        onChange={(streaming) => update((current) => ({ ...current, streaming }))}
        hint={t('output.streamingHint')}
        error={errors['output.streaming']}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <InputField
          id={fieldId('output.coalesce_ms')}
          label={t('output.coalesce')}
          type="number"
          inputMode="numeric"
          min={0}
          max={2_000}
          step={1}
          value={values.coalesceMs}
          onChange={(coalesceMs) => update((current) => ({ ...current, coalesceMs }))}
          hint={values.streaming ? t('output.coalesceHint') : t('output.coalesceOffHint')}
          error={errors['output.coalesce_ms']}
        />
      </div>
      <CheckboxField
        id={fieldId('output.mention_sender_in_group')}
        label={t('output.mentionSender')}
        checked={values.mentionSenderInGroup}
        onChange={(mentionSenderInGroup) =>
          update((current) => ({ ...current, mentionSenderInGroup }))
        }
        hint={t('output.mentionSenderHint')}
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
