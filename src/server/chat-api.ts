// POST /api/chat: the web chat's endpoint, and the contract QA scripts and the benchmark use.
import { Router, json } from 'express';
import { z } from 'zod';
import type { Bot } from '../bot.js';
import { Location } from '../model/message.js';

export const ChatRequest = z
  .object({
    user: z.string().min(1).max(128),
    messageId: z.string().min(1).max(128).optional(),
    text: z.string().optional(),
    choice: z.string().min(1).max(128).optional(),
    location: Location.optional(),
  })
  .refine((m) => [m.text, m.choice, m.location].filter((v) => v !== undefined).length === 1, {
    message: 'send exactly one of "text", "choice" or "location"',
  });

export function chatApi(bot: Bot, now: () => number = Date.now): Router {
  const router = Router();
  router.post('/api/chat', json({ limit: '32kb' }), async (req, res) => {
    const parsed = ChatRequest.safeParse(req.body);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
      res.status(400).json({ error: 'invalid request', details });
      return;
    }
    const messages = await bot.handle({ channel: 'web', timestamp: now(), ...parsed.data });
    res.json({ messages });
  });
  return router;
}
