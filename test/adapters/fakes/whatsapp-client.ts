// A stand-in for whatsapp-web.js's Client: the same events and methods, no browser. It records what
// the adapter sends, can be told to fail sends or start-ups, and delivers messages shaped like
// whatsapp-web.js Message objects, waiting until the adapter has handled them.
import { EventEmitter } from 'node:events';
import type { WhatsAppClientLike, WhatsAppMessageLike } from '../../../adapters/whatsapp-web/client.js';

export interface SentMessage {
  chatId: string;
  text: string;
  /** The fake's clock when sendMessage was called. */
  at: number;
}

export class FakeWhatsAppClient extends EventEmitter implements WhatsAppClientLike {
  readonly sent: SentMessage[] = [];
  initializeCalls = 0;
  destroyCalls = 0;
  /** The next this-many sendMessage calls fail. */
  failSends = 0;
  sendAttempts = 0;
  initializeError: Error | undefined;

  constructor(private readonly now: () => number = () => Date.now()) {
    super();
  }

  async initialize(): Promise<void> {
    this.initializeCalls += 1;
    if (this.initializeError) throw this.initializeError;
  }

  async destroy(): Promise<void> {
    this.destroyCalls += 1;
  }

  async sendMessage(chatId: string, text: string): Promise<unknown> {
    this.sendAttempts += 1;
    if (this.failSends > 0) {
      this.failSends -= 1;
      throw new Error('Evaluation failed: fake send failure');
    }
    this.sent.push({ chatId, text, at: this.now() });
    return { id: { _serialized: `true_${chatId}_${this.sent.length}` } };
  }

  /** Emits `message` and waits for what the listeners return (the adapter's handling promise). */
  async deliver(message: WhatsAppMessageLike): Promise<void> {
    const listeners = this.listeners('message') as ((m: WhatsAppMessageLike) => unknown)[];
    await Promise.all(listeners.map((listener) => listener(message)));
  }

  sentTo(chatId: string): string[] {
    return this.sent.filter((s) => s.chatId === chatId).map((s) => s.text);
  }
}

/** A Message as whatsapp-web.js would emit it; by default a text from a private chat. */
export function waMessage(fields: Partial<Omit<WhatsAppMessageLike, 'id'>> & { from: string; id: string }): WhatsAppMessageLike {
  const { from, id, ...rest } = fields;
  return {
    from,
    fromMe: false,
    type: 'chat',
    body: '',
    location: undefined,
    isStatus: false,
    timestamp: 1_772_467_200,
    ...rest,
    id: { _serialized: `false_${from}_${id}` },
  };
}
