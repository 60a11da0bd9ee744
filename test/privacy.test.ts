import { createHash } from 'node:crypto';
import { userKey } from '../src/privacy.js';

test('a user key is SHA3-256 of the secret and the channel and id, different per secret and per channel', () => {
  const reference = (secret: string, id: string) => createHash('sha3-256').update(`${secret}\u0000${id}`).digest('base64url').slice(0, 22);
  expect(userKey('first-secret-0123456789', 'web', 'ana')).toBe(reference('first-secret-0123456789', 'web:ana'));
  expect(userKey('second-secret-ñ-0123456', 'telegram', '+50499998888')).toBe(reference('second-secret-ñ-0123456', 'telegram:+50499998888'));
  expect(userKey('first-secret-0123456789', 'web', 'ana')).not.toBe(userKey('second-secret-ñ-0123456', 'web', 'ana'));
  expect(userKey('first-secret-0123456789', 'web', 'ana')).not.toBe(userKey('first-secret-0123456789', 'telegram', 'ana'));
  expect(userKey('first-secret-0123456789', 'whatsapp', '50499998888')).toMatch(/^[\w-]{22}$/);
});
