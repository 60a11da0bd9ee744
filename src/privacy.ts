// Channel user ids never leave this module in clear: sessions, logs and keys use a keyed hash.
import { createHmac } from 'node:crypto';

export function userKey(secret: string, channel: string, user: string): string {
  return createHmac('sha256', secret).update(`${channel}:${user}`).digest('base64url').slice(0, 22);
}
