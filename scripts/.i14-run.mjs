import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
const root = '/work/wt/i14';
writeFileSync('/tmp/i14-entry.ts', `export { runScenario } from '${root}/server/src/core/scenario/runScenario'; export { readConfigFile } from '${root}/server/src/core/model/configFile'; export { Schema } from '${root}/server/src/core/model/schema';`);
await esbuild.build({ entryPoints: ['/tmp/i14-entry.ts'], outfile: '/tmp/i14-bundle.mjs', bundle: true, platform: 'node', format: 'esm', logLevel: 'error' });
const { runScenario, readConfigFile, Schema } = await import('/tmp/i14-bundle.mjs?' + Date.now());
const dir = `${root}/test/fixtures/scenarios/server`;
const schema = new Schema('conf', [readConfigFile('conf/managed.json', readFileSync(`${dir}/conf/managed.json`, 'utf8'))]);
for (const file of process.argv.slice(2)) {
  console.log('=====', file);
  for (const r of runScenario(schema, readFileSync(`${dir}/${file}`, 'utf8'))) console.log(`--- ${r.name}\n${r.status} ${JSON.stringify(r.body)}`);
}
