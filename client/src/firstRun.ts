/**
 * What `npm start` asks of the extension: open a config of the sample workspace with the relationship graph beside
 * it, once. The start script sets FIRST_RUN_VARIABLE for the VS Code it starts (code-server's extension host, or the
 * desktop extension development host, inherit its environment); ordinary users never have it, so they never get
 * editors opened for them. Plain logic without the `vscode` API, so that it is tested on its own.
 */

/** Environment variable holding the workspace-relative path of the config to open, e.g. `conf/managed.json`. */
export const FIRST_RUN_VARIABLE = 'IDM_RELATIONSHIPS_FIRST_RUN';

/** Workspace-state key remembering that the first run was done, so that a window reload does not do it again. */
export const FIRST_RUN_DONE_KEY = 'idmRelationships.firstRunDone';

/**
 * The workspace-relative config to open on this activation, or undefined: when the variable is unset or empty, when
 * this workspace already had its first run, or when the path tries to leave the workspace (absolute, `..`).
 */
export function firstRunConfig(environment: Record<string, string | undefined>, alreadyDone: boolean): string | undefined {
  if (alreadyDone) return undefined;
  const value = environment[FIRST_RUN_VARIABLE]?.trim().replace(/\\/g, '/');
  if (!value) return undefined;
  if (value.startsWith('/') || /^[a-z]:/i.test(value) || value.split('/').includes('..')) return undefined;
  return value;
}
