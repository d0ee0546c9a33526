import { BotwireClientError } from '@botwire/client';
import { useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { toast } from 'sonner';
import { Link, useLocation } from 'wouter';
import { InputField } from '../../components/InputField.js';
import { TextAreaField } from '../../components/TextAreaField.js';
import { FormSection } from '../../components/FormSection.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';
import { BehaviourFields } from './BehaviourFields.js';
import { GroupTriggerFields } from './GroupTriggerFields.js';
import { OutputFields } from './OutputFields.js';
import {
  createBodyFromForm,
  defaultFormValues,
  formValuesFromPipeline,
  storedApiKeyOf,
  updateBodyFromForm,
  type PipelineFormValues,
} from './pipeline-form-state.js';
import {
  fieldId,
  firstInvalidField,
  serverValidationErrors,
  validatePipelineForm,
  type FieldErrors,
} from './pipeline-form-validation.js';
import { ModelCheckResult, type ModelCheckOutcome } from './ModelCheckResult.js';
import { isModelRunnerType, type RunnerType } from './pipeline-types.js';
import { RunnerFields } from './RunnerFields.js';

/** Props of {@link PipelineForm}. */
export interface PipelineFormProps {
  /** The pipeline to edit; undefined to create one. */
  pipeline: Pipeline | undefined;
  /** The server's runner descriptions (see {@link RunnerFields}). */
  runnerDescriptions: Partial<Record<RunnerType, string>>;
}

const SUMMARY_ID = 'pipeline-form-problems';

/**
 * The pipeline editor's form. Validates at the field before sending (errors show under the
 * field, and the first invalid field gets the focus), maps the server's `VALIDATION_FAILED`
 * answer back to the fields, and goes back to the list after a save.
 */
export function PipelineForm({ pipeline, runnerDescriptions }: PipelineFormProps) {
  const { handleUnauthorized } = useAuth();
  const [, navigate] = useLocation();
  const localizer = useI18n();
  const { t } = localizer;
  const [values, setValues] = useState<PipelineFormValues>(() =>
    pipeline === undefined ? defaultFormValues() : formValuesFromPipeline(pipeline),
  );
  // Client errors are recomputed on every change once the user has tried to save, so a fixed
  // field loses its message at once; server errors stay until the next attempt.
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  /** A model pipeline just saved: the form offers to check that its model answers. */
  const [saved, setSaved] = useState<Pipeline | undefined>();
  const [check, setCheck] = useState<ModelCheckOutcome | undefined>();

  const creating = pipeline === undefined;
  const storedApiKey = pipeline === undefined ? undefined : storedApiKeyOf(pipeline);
  const clientErrors = attempted ? validatePipelineForm(values, localizer) : {};
  const errors: FieldErrors = { ...serverErrors, ...clientErrors };

  /** Moves the focus to the first invalid field, or to the list of problems without a field. */
  function focusProblem(fieldErrors: FieldErrors): void {
    const first = firstInvalidField(fieldErrors);
    const target = document.getElementById(first === undefined ? SUMMARY_ID : fieldId(first));
    target?.focus();
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const found = validatePipelineForm(values, localizer);
    // Rendered synchronously so the field is already aria-invalid and described by its message
    // when it gets the focus; a screen reader then reads the message with the label.
    flushSync(() => {
      setAttempted(true);
      setServerErrors({});
      setProblems([]);
    });
    if (firstInvalidField(found) !== undefined) {
      focusProblem(found);
      return;
    }
    setSaving(true);
    try {
      const saved =
        pipeline === undefined
          ? await backend.createPipeline(createBodyFromForm(values))
          : await backend.updatePipeline(pipeline.uuid, updateBodyFromForm(values));
      toast.success(t(creating ? 'form.created' : 'form.saved', { name: saved.name }));
      // A saved model pipeline is not yet a working one (a dead base URL, a wrong key): offer
      // the check here instead of leaving with a green "Created".
      if (isModelRunnerType(saved.runner.type)) setSaved(saved);
      else navigate('/pipelines');
    } catch (error) {
      if (handleUnauthorized(error)) return;
      if (error instanceof BotwireClientError && error.code === 'VALIDATION_FAILED') {
        const mapped = serverValidationErrors(error.message);
        flushSync(() => {
          setServerErrors(mapped.fields);
          setProblems(mapped.other);
        });
        focusProblem(mapped.fields);
      } else {
        flushSync(() => setProblems([describeError(error)]));
        focusProblem({});
      }
    } finally {
      setSaving(false);
    }
  }

  const sectionProps = { values, errors, update: setValues };

  async function runCheck(pipelineUuid: string): Promise<void> {
    setCheck({ kind: 'running' });
    try {
      setCheck({ kind: 'answered', result: await backend.checkPipeline(pipelineUuid) });
    } catch (error) {
      if (handleUnauthorized(error)) return;
      setCheck({ kind: 'failed', message: describeError(error) });
    }
  }

  if (saved !== undefined) {
    return (
      <section
        aria-labelledby="saved-title"
        className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
      >
        <h3 id="saved-title" tabIndex={-1} className="font-semibold">
          {t(creating ? 'form.createdCheckTitle' : 'form.savedCheckTitle', { name: saved.name })}
        </h3>
        <p className="text-sm text-slate-600 dark:text-slate-300">{t('form.checkExplanation')}</p>
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            onClick={() => void runCheck(saved.uuid)}
            disabled={check?.kind === 'running'}
            className="min-h-11 rounded bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60 sm:min-h-9"
          >
            {check?.kind === 'running' ? t('pipelines.checking') : t('pipelines.checkModel')}
          </button>
          <Link
            href={`/pipelines/${saved.uuid}/edit`}
            onClick={() => {
              setSaved(undefined);
              setCheck(undefined);
            }}
            className="inline-flex min-h-11 items-center rounded border border-slate-300 px-4 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-9 dark:border-slate-700 dark:hover:bg-slate-900"
          >
            {t('form.editAgain')}
          </Link>
          <Link
            href="/pipelines"
            className="inline-flex min-h-11 items-center rounded border border-slate-300 px-4 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-9 dark:border-slate-700 dark:hover:bg-slate-900"
          >
            {t('editor.backToList')}
          </Link>
        </div>
        {check !== undefined && (
          <div role="status" aria-label={t('check.region')} className="text-sm">
            <ModelCheckResult outcome={check} />
          </div>
        )}
      </section>
    );
  }

  const modelRunner = isModelRunnerType(values.runnerType);

  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="space-y-6">
      <FormSection legend={t('form.general')}>
        <InputField
          id={fieldId('name')}
          label={t('form.name')}
          required
          maxLength={100}
          autoComplete="off"
          value={values.name}
          onChange={(name) => setValues((current) => ({ ...current, name }))}
          hint={t('form.nameHint')}
          error={errors.name}
        />
        <TextAreaField
          id={fieldId('description')}
          label={t('form.description')}
          rows={2}
          maxLength={2_000}
          value={values.description}
          onChange={(description) => setValues((current) => ({ ...current, description }))}
          hint={t('form.descriptionHint')}
          error={errors.description}
        />
      </FormSection>
      <RunnerFields
        {...sectionProps}
        runnerDescriptions={runnerDescriptions}
        storedApiKey={storedApiKey}
      />
      {/* Prompt and model parameters mean nothing to echo and bench: shown for models only. */}
      {modelRunner && <BehaviourFields {...sectionProps} />}
      <GroupTriggerFields {...sectionProps} />
      <OutputFields {...sectionProps} />
      {problems.length > 0 && (
        <div
          id={SUMMARY_ID}
          role="alert"
          tabIndex={-1}
          className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-800 focus-visible:outline-2 focus-visible:outline-red-600 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          <p className="font-medium">{creating ? t('form.notCreated') : t('form.notSaved')}</p>
          <ul className="mt-1 list-disc pl-5">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="flex flex-wrap gap-2">
        <button
          type="submit"
          disabled={saving}
          aria-busy={saving}
          className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60"
        >
          {creating ? t('form.create') : t('form.save')}
        </button>
        <Link
          href="/pipelines"
          className="rounded border border-slate-300 px-4 py-2 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:hover:bg-slate-900"
        >
          {t('common.cancel')}
        </Link>
        {saving && (
          <p role="status" className="self-center text-sm text-slate-500 dark:text-slate-400">
            {t('form.saving')}
          </p>
        )}
      </div>
    </form>
  );
}
