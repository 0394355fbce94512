/**
 * Reads configurations from a file system for the config locator (`core/scenario/locateConfig.ts`): the CLI's
 * lookup, and the editor's for a `@config` outside the workspace. Files are grouped by their config root
 * (`configRootOf`), exactly as the workspace groups them.
 */
import { readConfigFile } from '../core/model/configFile';
import { Schema } from '../core/model/schema';
import type { ConfigFile } from '../core/model/types';
import { configRootOf, dirname } from '../core/model/workspace';
import type { ConfigLookup } from '../core/scenario/locateConfig';

export interface ConfigReader {
  /** The text of the regular file at `location`, or undefined (missing, a folder, unreadable). */
  readFile(location: string): string | undefined;
  /** The `.json` files in the folder at `location` and its subfolders, a few levels deep; [] when it is not a folder. */
  listConfigFiles(location: string): string[];
}

export function diskConfigLookup(reader: ConfigReader): ConfigLookup {
  /**
   * The readers of one lookup. A lookup may meet a file twice (a probed `managed.json`, then its folder listed), so
   * each file is read and parsed once per lookup; nothing is kept between lookups, which would go stale.
   */
  const lookup = () => {
    const seen = new Map<string, ConfigFile | undefined>();
    const read = (location: string): ConfigFile | undefined => {
      if (seen.has(location)) return seen.get(location);
      const text = reader.readFile(location);
      const parsed = text === undefined ? undefined : readConfigFile(location, text);
      const file = parsed && parsed.layout !== 'unknown' ? parsed : undefined;
      seen.set(location, file);
      return file;
    };
    /** Every configuration with a file below `folder`, by root. */
    const configsBelow = (folder: string): Map<string, ConfigFile[]> => {
      const byRoot = new Map<string, ConfigFile[]>();
      for (const location of reader.listConfigFiles(folder)) {
        const file = read(location);
        if (!file) continue;
        const root = configRootOf(location, file.layout);
        const files = byRoot.get(root);
        if (files) files.push(file);
        else byRoot.set(root, [file]);
      }
      return byRoot;
    };
    const configIn = (root: string): Schema | undefined => {
      const files = configsBelow(root).get(root);
      return files ? new Schema(root, files) : undefined;
    };
    return { read, configsBelow, configIn };
  };
  const configAt = (location: string): Schema | undefined => {
    const { read, configsBelow, configIn } = lookup();
    const file = read(location);
    if (file) {
      // The file named, with the files it belongs with (it need not match the file patterns itself).
      const root = configRootOf(location, file.layout);
      const siblings = (configsBelow(root).get(root) ?? []).filter((sibling) => sibling.uri !== location);
      return new Schema(root, [file, ...siblings]);
    }
    for (const root of [location, `${location}/conf`]) {
      const schema = configIn(root);
      if (schema && schema.objectTypes.length > 0) return schema;
    }
    return undefined;
  };
  return {
    configAt,
    configsAround(folder: string): Schema[] {
      const { read, configsBelow, configIn } = lookup();
      const found: Schema[] = [];
      for (const [root, files] of configsBelow(folder)) found.push(new Schema(root, files));
      // Above: only where a config would be (a managed.json, conf/managed.json, managed-objects/ or managed/),
      // so that walking up to the file system's root reads a handful of files, not every folder on the way.
      for (let dir = dirname(folder); dir && dir !== folder; dir = dirname(dir)) {
        for (const probe of [`${dir}/managed.json`, `${dir}/conf/managed.json`]) {
          const schema = read(probe) && configIn(dirname(probe));
          if (schema) found.push(schema);
        }
        if (reader.listConfigFiles(`${dir}/managed-objects`).length || reader.listConfigFiles(`${dir}/managed`).length) {
          const schema = configIn(dir);
          if (schema) found.push(schema);
        }
        if (found.some((schema) => schema.objectTypes.length > 0)) break;
      }
      return found;
    },
  };
}
