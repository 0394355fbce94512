/**
 * Which managed config a scenario runs against: the one config locator that the editor and `idm-rel simulate`
 * share. An explicit path (`@config` in the scenario, relative to it, or the CLI's `--config`) names a config file
 * or a folder holding one; without one, the deepest configuration whose root is the scenario's folder, lies above
 * it, or lies below it (a `conf/` folder counts as its project folder: `<project>/conf/managed.json` serves every
 * scenario in the project).
 *
 * Locations are file URIs (the editor) or paths (the CLI): anything with `/` between folders.
 */
import type { Schema } from '../model/schema';
import { dirname } from '../model/workspace';

export interface ConfigLookup {
  /** The configuration that the config file at `location` belongs to, or that the folder at `location` holds. */
  configAt(location: string): Schema | undefined;
  /** The configurations whose root is `folder`, lies above it or below it. */
  configsAround(folder: string): Schema[];
}

export interface ExplicitConfig {
  /** Resolved location of the file or folder. */
  location: string;
  /** As the user wrote it, and where: `@config ../conf/managed.json`. */
  written: string;
}

export type LocatedConfig = { schema: Schema } | { reason: string };

export function locateScenarioConfig(scenarioLocation: string | undefined, explicit: ExplicitConfig | undefined, lookup: ConfigLookup, fallbackFolder?: string): LocatedConfig {
  if (explicit) {
    const schema = lookup.configAt(explicit.location);
    return schema && schema.objectTypes.length > 0
      ? { schema }
      : { reason: `${explicit.written}: no managed config there (a managed.json, a per-object config file, or a folder holding one).` };
  }
  const folder = scenarioLocation === undefined ? fallbackFolder ?? '' : dirname(scenarioLocation);
  // An IDM project keeps its config in `<project>/conf/`: a scenario anywhere in the project belongs to it.
  const projectOf = (root: string) => (root.endsWith('/conf') ? root.slice(0, -'/conf'.length) : root);
  const within = (root: string) => folder === projectOf(root) || folder.startsWith(`${projectOf(root)}/`) || root.startsWith(`${folder}/`);
  const candidates = lookup.configsAround(folder)
    .filter((schema) => schema.objectTypes.length > 0 && within(schema.root))
    .sort((a, b) => b.root.length - a.root.length || (a.root < b.root ? -1 : 1));
  return candidates.length
    ? { schema: candidates[0] }
    : { reason: `No managed config found at, above or below ${folder || 'this folder'}: add a line \`@config <path to managed.json>\` to the scenario.` };
}
