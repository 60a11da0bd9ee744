import { createHmac } from 'node:crypto';
import { userKey } from '../src/privacy.js';

test('a user key is the HMAC-SHA256 of channel and id, as stored sessions expect, per secret', () => {
  const reference = (secret: string, id: string) => createHmac('sha256', secret).update(id).digest('base64url').slice(0, 22);
  expect(userKey('first-secret-0123456789', 'web', 'ana')).toBe(reference('first-secret-0123456789', 'web:ana'));
  expect(userKey('second-secret-ñ-0123456', 'telegram', '+50499998888')).toBe(reference('second-secret-ñ-0123456', 'telegram:+50499998888'));
  expect(userKey('first-secret-0123456789', 'web', 'ana')).not.toBe(userKey('second-secret-ñ-0123456', 'web', 'ana'));
});
