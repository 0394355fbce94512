/**
 * The config a `.idmsim` scenario runs against, for the language server: the shared locator
 * (`core/scenario/locateConfig.ts`) over the workspace's configurations, and over the disk for a `@config`
 * outside the workspace.
 */
import { fileURLToPath, pathToFileURL } from 'url';
import type { Schema } from '../core/model/schema';
import { locateScenarioConfig, type ConfigLookup, type LocatedConfig } from '../core/scenario/locateConfig';
import { diskConfigLookup, type ConfigReader } from '../node/configLookup';
import { findFiles, readText } from '../node/configFiles';
import { normaliseUri, type Session } from './session';

export function scenarioSchema(session: Session, scenarioUri: string, configPath: string | undefined): LocatedConfig {
  let explicit;
  if (configPath !== undefined) {
    try {
      explicit = { location: normaliseUri(new URL(configPath, scenarioUri).href), written: `@config ${configPath}` };
    } catch {
      return { reason: `@config ${configPath} is not a valid path.` };
    }
  }
  return locateScenarioConfig(normaliseUri(scenarioUri), explicit, workspaceLookup(session));
}

function workspaceLookup(session: Session): ConfigLookup {
  const disk = diskConfigLookup(fileUriReader(session.settings.files));
  return {
    configAt(location: string): Schema | undefined {
      const known = session.workspace.getFile(location);
      if (known && known.layout !== 'unknown') return session.workspace.schemaFor(location);
      return disk.configAt(location);
    },
    configsAround: () => session.workspace.allSchemas(),
  };
}

/** Reads file URIs from the disk, for configs outside the workspace. */
function fileUriReader(globs: string[]): ConfigReader {
  const pathOf = (uri: string) => {
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  };
  return {
    readFile(uri) {
      const path = pathOf(uri);
      return path === undefined ? undefined : readText(path);
    },
    listConfigFiles(uri) {
      const path = pathOf(uri);
      return path === undefined ? [] : findFiles(path, globs, 2000).map((file) => normaliseUri(pathToFileURL(file).href));
    },
  };
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
