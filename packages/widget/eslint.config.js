/**
 * ESLint takes the config nearest to each file, so this one serves packages/widget: the
 * repository's rules as they are, with their paths read from here (the browser-package import
 * rule among them), and this package's tsconfig for the rules that need types.
 */
import root from '../../eslint.config.js';

const HERE = 'packages/widget/';

const rebased = root.map((entry) => {
  if (!Array.isArray(entry.files)) return entry;
  const files = entry.files.filter((f) => typeof f === 'string' && f.startsWith(HERE)).map((f) => f.slice(HERE.length));
  // Entries for other folders of the repository match nothing here.
  return files.length > 0 ? { ...entry, files } : entry;
});

export default [
  ...rebased,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
  },
];
