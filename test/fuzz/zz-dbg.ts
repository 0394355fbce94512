import { readFixture } from '../helpers/fixtures';
import { Workspace } from '../../server/src/core/model/workspace';
import { checkSchema } from '../../server/src/core/rules/index';
import { getQuickFixes } from '../../server/src/core/fixes/quickFixes';
import { applyCase, loadCorpusGroups } from './mutations';
const groups = loadCorpusGroups();
const { uri, files } = applyCase(groups, {"group":0,"file":0,"mutations":[{"kind":"truncate","at":1616516516}]});
const text = files.get(uri)!;
console.log(uri, text.length, JSON.stringify(text.slice(-200)));
const w = new Workspace(); for (const [u, t] of files) w.setFile(u, t);
const f = w.getFile(uri)!; console.log(f.syntaxErrors);
for (const s of w.allSchemas()) for (const [u, list] of checkSchema(s)) for (const finding of list) if (u === uri && finding.code === 'query-fields-missing') {
  for (const fix of getQuickFixes(w, finding.data)) { const e = fix.edits[uri][0]; console.log(fix.title, e.offset, e.length, JSON.stringify(e.content).slice(0, 300)); console.log('context:', JSON.stringify(text.slice(e.offset - 100, e.offset + e.length + 50))); }
  break;
}
