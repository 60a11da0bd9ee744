// A content problem, written for the staff member who will fix it: which file, which line, what to do.
export interface Problem {
  file: string;
  line?: number;
  message: string;
  severity: 'error' | 'warning';
}

export function formatProblem(p: Problem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  return `${p.severity === 'error' ? 'ERROR' : 'warning'} ${where} — ${p.message}`;
}

export class ContentError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`The content has ${problems.length} error(s):\n${problems.map(formatProblem).join('\n')}`);
  }
}
