import { BotwireClientError } from '@botwire/client';
import { useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { backend, describeError, type Pipeline } from '../../../lib/backend.js';
import { useAuth } from '../../auth/auth-context.js';
import { useI18n } from '../../../i18n/i18n-context.js';
import { BehaviourFields } from '../../pipelines/BehaviourFields.js';
import {
  formValuesFromPipeline,
  storedApiKeyOf,
  updateBodyFromForm,
  type PipelineFormValues,
} from '../../pipelines/pipeline-form-state.js';
import {
  fieldId,
  firstInvalidField,
  serverValidationErrors,
  validatePipelineForm,
  type FieldErrors,
} from '../../pipelines/pipeline-form-validation.js';
import { isModelRunnerType } from '../../pipelines/pipeline-types.js';
import { RunnerFields } from '../../pipelines/RunnerFields.js';
import { chatToast } from '../chat-toast.js';

/**
 * The pipeline's runner, system prompt and model parameters beside the chat. The server reads
 * the pipeline for every reply, so what is applied here holds from the next message on. Only
 * an admin may change a pipeline; a member sees the settings read-only.
 */
export function ChatSettingsPanel({
  pipeline,
  onSaved,
}: {
  pipeline: Pipeline;
  onSaved: (pipeline: Pipeline) => void;
}) {
  const { principal, handleUnauthorized } = useAuth();
  const [values, setValues] = useState<PipelineFormValues>(() => formValuesFromPipeline(pipeline));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const admin = principal.role === 'admin';
  const localizer = useI18n();
  const { t } = localizer;

  async function apply(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const found = validatePipelineForm(values, localizer);
    flushSync(() => {
      setErrors(found);
      setProblem(undefined);
    });
    const first = firstInvalidField(found);
    if (first !== undefined) {
      document.getElementById(fieldId(first))?.focus();
      return;
    }
    setSaving(true);
    try {
      const saved = await backend.updatePipeline(pipeline.uuid, updateBodyFromForm(values));
      onSaved(saved);
      setValues(formValuesFromPipeline(saved));
      chatToast.success(t('toast.settingsApplied'));
    } catch (error) {
      if (handleUnauthorized(error)) return;
      if (error instanceof BotwireClientError && error.code === 'VALIDATION_FAILED') {
        const mapped = serverValidationErrors(error.message);
        flushSync(() => {
          setErrors(mapped.fields);
          setProblem(mapped.other.join(' ') || undefined);
        });
        const field = firstInvalidField(mapped.fields);
        if (field !== undefined) document.getElementById(fieldId(field))?.focus();
      } else {
        setProblem(describeError(error));
      }
    } finally {
      setSaving(false);
    }
  }

  const sectionProps = { values, errors, update: setValues };
  return (
    <form onSubmit={(event) => void apply(event)} noValidate aria-label={t('settings.form')}>
      <fieldset disabled={!admin || saving} className="space-y-4">
        {!admin && (
          <p className="text-sm text-slate-600 dark:text-slate-300">{t('settings.readOnly')}</p>
        )}
        <RunnerFields {...sectionProps} storedApiKey={storedApiKeyOf(pipeline)} />
        {isModelRunnerType(values.runnerType) && <BehaviourFields {...sectionProps} />}
        {problem !== undefined && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {t('settings.notApplied', { error: problem })}
          </p>
        )}
        {admin && (
          <button
            type="submit"
            aria-busy={saving}
            className="min-h-11 rounded bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60 sm:min-h-9"
          >
            {saving ? t('settings.applying') : t('settings.apply')}
          </button>
        )}
      </fieldset>
    </form>
  );
}
