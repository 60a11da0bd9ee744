// Channel user ids never leave this module in clear: sessions, logs and keys use a keyed hash.
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** The secret as a key object, made once: making it again on every message is most of the hash's cost. */
const keys = new Map<string, KeyObject>();

export function userKey(secret: string, channel: string, user: string): string {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret))));
  return createHmac('sha256', key).update(`${channel}:${user}`).digest('base64url').slice(0, 22);
}
