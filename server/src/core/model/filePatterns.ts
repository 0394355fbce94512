/**
 * Where managed object configs are looked for by default: the file patterns of every layout the model reads
 * (see `configFile.ts`). The language server's `idmRelationships.files` setting and the CLI's `--files` default
 * to these; package.json's setting default repeats them for VS Code (a test keeps the two equal).
 */
export const DEFAULT_FILE_GLOBS: readonly string[] = [
  '**/managed.json',
  '**/managed-objects/**/*.json',
  '**/*.managed.json',
  '**/internal.json',
  '**/*.idm.json',
];
