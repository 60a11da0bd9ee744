// Sending through the Graph API (the Cloud API "client" is plain HTTPS + JSON, so Node's fetch).
// Transient trouble (network, 5xx, throughput or pair rate limits) is retried with backoff;
// any other refusal is logged without text or phone number and given up. Never throws.
import type { Logger } from '../../src/log.js';
import type { OutgoingMessage } from './render.js';

/** Graph error codes that mean "too fast, try again later". */
export const RATE_LIMIT_CODES = new Set([
  130429, // Cloud API throughput reached
  131056, // too many messages to the same person (pair rate limit)
  80007, // WhatsApp Business Account rate limit
]);

export interface GraphSenderOptions {
  graphUrl: string;
  phoneNumberId: string;
  token: string;
  log: Logger;
  /** Attempts per message, first included. */
  maxAttempts: number;
  /** First wait before a retry; doubles each time (twice that for rate limits). */
  retryBaseMs: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /** True once the channel stops: no more waiting to retry. */
  stopping: () => boolean;
  fetch?: typeof fetch;
}

interface GraphError {
  code?: number;
  error_subcode?: number;
  type?: string;
}

async function graphError(response: Response): Promise<GraphError> {
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object' && 'error' in body && body.error && typeof body.error === 'object') {
      const { code, error_subcode, type } = body.error as Record<string, unknown>;
      return {
        code: typeof code === 'number' ? code : undefined,
        error_subcode: typeof error_subcode === 'number' ? error_subcode : undefined,
        type: typeof type === 'string' ? type : undefined,
      };
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return {};
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type SendOne = (to: string, message: OutgoingMessage, userHash: string) => Promise<boolean>;

export function createGraphSender(options: GraphSenderOptions): SendOne {
  const { log } = options;
  const doFetch = options.fetch ?? fetch;
  const url = `${options.graphUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.phoneNumberId)}/messages`;

  return async (to, message, user) => {
    const body = JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message });
    const what = { user, type: message.type === 'interactive' ? message.interactive.type : message.type };
    for (let attempt = 1; ; attempt++) {
      let reason: Record<string, unknown>;
      let wait = options.retryBaseMs * 2 ** (attempt - 1);
      try {
        const response = await doFetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        if (response.ok) {
          await response.body?.cancel();
          return true;
        }
        const error = await graphError(response);
        const detail = { ...what, status: response.status, code: error.code, subcode: error.error_subcode };
        const rateLimited = response.status === 429 || (error.code !== undefined && RATE_LIMIT_CODES.has(error.code));
        if (!rateLimited && response.status < 500) {
          log.warn(detail, 'message refused by the Graph API, given up');
          return false;
        }
        if (rateLimited) wait *= 2;
        reason = detail;
      } catch (error) {
        // Network failure or timeout; the error names neither the text nor the person.
        const cause = error instanceof Error && error.cause instanceof Error ? (error.cause as { code?: unknown }).code : undefined;
        reason = { ...what, error: error instanceof Error ? error.name : 'unknown', cause: typeof cause === 'string' ? cause : undefined };
      }
      if (attempt >= options.maxAttempts || options.stopping()) {
        log.error({ ...reason, attempts: attempt }, 'message not delivered after retries');
        return false;
      }
      log.info({ ...reason, attempt }, 'send failed, retrying');
      await sleep(wait);
    }
  };
}
