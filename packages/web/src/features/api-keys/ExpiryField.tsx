import { InputField } from '../../components/InputField.js';
import { SelectField } from '../../components/SelectField.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { expiryChoices, expiryDateBounds, type ExpiryChoice } from './key-expiry.js';

/** Props of {@link ExpiryField}. */
export interface ExpiryFieldProps {
  choice: ExpiryChoice;
  date: string;
  onChoiceChange: (choice: ExpiryChoice) => void;
  onDateChange: (date: string) => void;
  /** Why the picked date cannot be used, shown under the date input. */
  error: string | undefined;
}

/** When a new API key stops working: never, a preset number of days, or a picked date. */
export function ExpiryField({
  choice,
  date,
  onChoiceChange,
  onDateChange,
  error,
}: ExpiryFieldProps) {
  const bounds = expiryDateBounds(new Date());
  const { t } = useI18n();
  return (
    <>
      <div className="w-40">
        <SelectField
          id="key-expiry"
          label={t('expiry.label')}
          value={choice}
          options={expiryChoices(t)}
          onChange={onChoiceChange}
        />
      </div>
      {choice === 'date' && (
        <div className="w-48">
          <InputField
            id="key-expiry-date"
            label={t('expiry.date')}
            type="date"
            required
            min={bounds.min}
            max={bounds.max}
            value={date}
            onChange={onDateChange}
            hint={t('expiry.dateHint')}
            error={error}
          />
        </div>
      )}
    </>
  );
}
