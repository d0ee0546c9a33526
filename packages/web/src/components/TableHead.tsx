import { useI18n } from '../i18n/i18n-context.js';

/** The header row of a data table; an empty column name is a column for actions. */
export function TableHead({ columns }: { columns: readonly string[] }) {
  const { t } = useI18n();
  return (
    <thead className="border-b border-slate-200 dark:border-slate-800">
      <tr>
        {columns.map((column, index) => (
          <th key={`${index}-${column}`} scope="col" className="relative p-2">
            {column === '' ? <span className="sr-only">{t('common.actions')}</span> : column}
          </th>
        ))}
      </tr>
    </thead>
  );
}
