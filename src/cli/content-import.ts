// npm run content:import -- <file.csv|file.geojson> --source "<citation>" --by "<role>"
//   [--kind <kind>] [--out <dir>] [--dry-run]
// Turns a list of health facilities into center files, one per facility, and lists every row it
// could not use with the reason. Exit status: 0 all rows imported, 1 some rows rejected (the good
// ones are still written), 2 the file cannot be read, 64 wrong options.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { CENTER_KINDS, type CenterKind } from '../content/center-kinds.js';
import { Review } from '../content/facts-schema.js';
import {
  centerYaml,
  decodeText,
  detectFormat,
  importFacilities,
  ImportInputError,
  parseFacilities,
  type ExistingCenter,
  type ParsedFacilities,
  type Rejection,
} from '../content/import-facilities.js';
import { projectRoot } from '../paths.js';
import { fail, usage } from './options.js';

const USAGE =
  'usage: npm run content:import -- <file.csv|file.geojson> --source "<citation>" --by "<role>" [--kind <kind>] [--out <dir>] [--dry-run]\n' +
  '  --source  where the list comes from, e.g. "SESAL, registro de establecimientos de salud 2025"\n' +
  '  --by      your role (never a name), e.g. "communication officer"\n' +
  `  --kind    the kind of rows without a kind column: ${CENTER_KINDS.join(', ')}\n` +
  '  --out     the folder for the center files (content/centers/ by default)\n' +
  '  --dry-run check everything, write nothing';

// npm runs scripts from the project folder; paths typed by the person are relative to where they were.
const here = process.env.INIT_CWD ?? process.cwd();

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        source: { type: 'string' },
        by: { type: 'string' },
        kind: { type: 'string' },
        out: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    usage(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) usage(`give exactly one file to import\n${USAGE}`);
  const source = values.source?.trim();
  if (!source) usage(`--source is required: say where the list comes from\n${USAGE}`);
  const by = values.by?.trim();
  if (!by) usage(`--by is required: give your role\n${USAGE}`);
  const byCheck = Review.shape.by.safeParse(by);
  if (!byCheck.success) usage(`--by must be ${byCheck.error.issues[0]?.message ?? 'a role'}`);
  const kind = values.kind?.trim();
  if (kind !== undefined && !(CENTER_KINDS as readonly string[]).includes(kind)) usage(`--kind must be one of ${CENTER_KINDS.join(', ')}`);
  return {
    file: resolve(here, positionals[0]!),
    source,
    by,
    kind: kind as CenterKind | undefined,
    out: values.out ? resolve(here, values.out) : join(projectRoot, 'content', 'centers'),
    dryRun: values['dry-run'] === true,
  };
}

/** The centers already in the folder: ids from file names and files, names and places when readable. */
function existingCenters(dir: string): ExistingCenter[] {
  if (!existsSync(dir)) return [];
  const centers: ExistingCenter[] = [];
  for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
    const fileId = name.replace(/\.ya?ml$/, '');
    centers.push({ id: fileId });
    try {
      const data: unknown = parseYaml(readFileSync(join(dir, name), 'utf8'));
      if (typeof data !== 'object' || data === null) continue;
      const { id, name: centerName, location } = data as { id?: unknown; name?: unknown; location?: { lat?: unknown; lon?: unknown } };
      const center: ExistingCenter = { id: typeof id === 'string' ? id : fileId };
      if (typeof centerName === 'string') center.name = centerName;
      if (typeof location?.lat === 'number' && typeof location.lon === 'number') {
        center.lat = location.lat;
        center.lon = location.lon;
      }
      centers.push(center);
    } catch {
      // A broken file still holds its id; content:check reports what is wrong with it.
    }
  }
  return centers;
}

function unreadable(file: string, message: string): never {
  process.stderr.write(`Cannot import ${file}: ${message}\n`);
  process.exit(2);
}

function main(): void {
  const opts = options();
  const shown = relative(here, opts.file) || opts.file;
  if (!existsSync(opts.file)) unreadable(shown, 'the file does not exist');

  const today = new Date().toISOString().slice(0, 10);
  let parsed: ParsedFacilities;
  let encoding: 'utf-8' | 'windows-1252';
  try {
    const decoded = decodeText(readFileSync(opts.file));
    encoding = decoded.encoding;
    parsed = parseFacilities(decoded.text, detectFormat(opts.file, decoded.text));
  } catch (error) {
    if (error instanceof ImportInputError) unreadable(shown, error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR' || code === 'EACCES') unreadable(shown, code === 'EISDIR' ? 'it is a folder, not a file' : 'it cannot be read (permission denied)');
    throw error;
  }

  const { centers, rejected } = importFacilities(parsed.rows, { source: opts.source, by: opts.by, kind: opts.kind, today, existing: existingCenters(opts.out) });
  const rejections: Rejection[] = [...rejected];
  const written: string[] = [];
  if (!opts.dryRun && centers.length) mkdirSync(opts.out, { recursive: true });
  for (const { row, center } of centers) {
    const fileName = `${center.id}.yaml`;
    const path = join(opts.out, fileName);
    const where = `${parsed.format === 'csv' ? 'row' : 'feature'} ${row}`;
    if (existsSync(path)) {
      rejections.push({ row, reason: `${where}: a center file ${fileName} already exists` });
      continue;
    }
    if (!opts.dryRun) {
      const comment = [
        `${center.name} (${where} of ${basename(opts.file)})`,
        `imported from ${basename(opts.file)} on ${today} by npm run content:import; check and edit freely.`,
      ];
      try {
        writeFileSync(path, centerYaml(center, comment), { flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        rejections.push({ row, reason: `${where}: a center file ${fileName} already exists` });
        continue;
      }
    }
    written.push(`${fileName}  (${center.name})`);
  }
  rejections.sort((a, b) => a.row - b.row);

  const outShown = relative(here, opts.out) || '.';
  const lines: string[] = [];
  const what = parsed.format === 'csv' ? 'rows' : 'features';
  lines.push(`Read ${parsed.rows.length} ${what} from ${shown}${encoding === 'windows-1252' ? ' (not UTF-8: read as Windows-1252, check the accents)' : ''}.`);
  if (parsed.ignoredColumns.length) lines.push(`Columns not used: ${parsed.ignoredColumns.join(', ')}.`);
  lines.push(`${opts.dryRun ? 'Would write' : 'Wrote'} ${written.length} center file${written.length === 1 ? '' : 's'} to ${outShown}/${written.length ? ':' : '.'}`);
  for (const file of written) lines.push(`  ${file}`);
  if (rejections.length) {
    const rows = new Set(rejections.map((r) => r.row)).size;
    lines.push(`Rejected ${rows} ${rows === 1 ? what.slice(0, -1) : what} (fix them in the file and import it again; ${what} already written are skipped):`);
    for (const r of rejections) lines.push(`  ${r.reason}`);
  }
  if (written.length && !opts.dryRun) lines.push('Next: read the new files, add what the list does not say (hours, services), then run npm run content:check.');
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exitCode = rejections.length ? 1 : written.length ? 0 : 1;
}

try {
  main();
} catch (error) {
  fail(error);
}
