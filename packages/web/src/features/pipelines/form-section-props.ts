import type { PipelineFormValues } from './pipeline-form-state.js';
import type { FieldErrors } from './pipeline-form-validation.js';

/** What every section of the pipeline editor gets: the values, their errors, and a way to change them. */
export interface PipelineFormSectionProps {
  values: PipelineFormValues;
  errors: FieldErrors;
  /** Applies a change to the current values (an updater, so quick edits never see stale values). */
  update: (change: (values: PipelineFormValues) => PipelineFormValues) => void;
}
