/**
 * Which managed config a `.idmsim` scenario runs against: its `@config` line (relative to the scenario), else the
 * deepest configuration in the workspace whose folder holds the scenario (or lies below its folder). A `@config`
 * outside the workspace is read from disk with the files it belongs with.
 */
import { fileURLToPath, pathToFileURL } from 'url';
import type { Schema } from '../core/model/schema';
import { dirname, Workspace } from '../core/model/workspace';
import { readText, siblingCandidates } from '../node/configFiles';
import { normaliseUri, type Session } from './session';

export function scenarioSchema(session: Session, scenarioUri: string, configPath: string | undefined): { schema: Schema } | { reason: string } {
  if (configPath !== undefined) {
    let configUri: string;
    try {
      configUri = normaliseUri(new URL(configPath, scenarioUri).href);
    } catch {
      return { reason: `@config ${configPath} is not a valid path.` };
    }
    const known = session.workspace.schemaFor(configUri);
    if (known && session.workspace.getFile(configUri)?.layout !== 'unknown') return { schema: known };
    const loaded = loadFromDisk(configUri, session.settings.files);
    return loaded ? { schema: loaded } : { reason: `@config ${configPath}: no managed config there.` };
  }
  const folder = dirname(normaliseUri(scenarioUri));
  const candidates = session.workspace.allSchemas()
    .filter((schema) => schema.objectTypes.length > 0 && (folder === schema.root || folder.startsWith(`${schema.root}/`) || schema.root.startsWith(`${folder}/`)))
    .sort((a, b) => b.root.length - a.root.length);
  return candidates.length ? { schema: candidates[0] } : { reason: 'No managed config found for this scenario: add a line `@config <path to managed.json>`.' };
}

function loadFromDisk(configUri: string, globs: string[]): Schema | undefined {
  let path: string;
  try {
    path = fileURLToPath(configUri);
  } catch {
    return undefined;
  }
  const text = readText(path);
  if (text === undefined) return undefined;
  const workspace = new Workspace();
  const file = workspace.setFile(configUri, text);
  if (file.layout === 'unknown') return undefined;
  for (const sibling of siblingCandidates(path, globs)) {
    const siblingUri = pathToFileURL(sibling).href;
    if (siblingUri === configUri) continue;
    const siblingText = readText(sibling);
    if (siblingText !== undefined) workspace.setFile(siblingUri, siblingText);
  }
  return workspace.schemaFor(configUri);
}

/** A scenario's text: the open document's, else the file on disk. */
export function scenarioText(session: Session, clientUri: string): string | undefined {
  const open = session.documents.get(clientUri)?.getText();
  if (open !== undefined) return open;
  try {
    return readText(fileURLToPath(clientUri));
  } catch {
    return undefined;
  }
}
