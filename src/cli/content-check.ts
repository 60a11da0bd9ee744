// npm run content:check — validates content/, locales/ and flows/ and explains every problem
// with its file and line. Exit status 1 when there is an error.
import { parseArgs } from 'node:util';
import { loadCatalog } from '../content/load.js';
import { formatProblem } from '../content/problems.js';
import { LANGUAGES } from '../model/message.js';
import { projectRoot } from '../paths.js';

const { values } = parseArgs({ options: { dir: { type: 'string', default: projectRoot } } });
const { catalog, problems } = loadCatalog(values.dir!);
for (const problem of problems) console.log(formatProblem(problem));
if (!catalog) {
  console.log(`\nThe content has ${problems.filter((p) => p.severity === 'error').length} error(s). Puente keeps serving the last good version until they are fixed.`);
  process.exit(1);
}
console.log(`Content OK: ${catalog.nodes.size} flow nodes, ${catalog.commands.length} global commands, texts complete in ${LANGUAGES.join(', ')}.`);
