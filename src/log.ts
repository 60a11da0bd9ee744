// Structured logs on stderr (stdout belongs to the CLI tools' output).
// Never log message text or a clear user id: use userKey() from src/privacy.ts.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination(2));
}
