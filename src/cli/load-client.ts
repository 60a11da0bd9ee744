// The bench's HTTP client: one keep-alive connection per simulated person, one request at a time,
// written as one prepared string and read by Content-Length. node:http's client costs about as
// much per request as a whole bare turn on the server, so with it the bench measured mostly
// itself; this one keeps the load generator's share small and the same for every server.
import { connect, type Socket } from 'node:net';

export interface Answer {
  status: number;
  body: Buffer;
}

export interface Connection {
  post(path: string, json: string): Promise<Answer>;
  close(): void;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** Status and body length from a response head, or why it cannot be read here. */
function parseHead(head: string): { status: number; length: number } | Error {
  const status = Number(head.slice(9, 12));
  if (!head.startsWith('HTTP/1.1 ') || !Number.isInteger(status)) return new Error('not an HTTP/1.1 response');
  const length = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (!length) return new Error('a response without content-length (this client reads no chunked bodies)');
  return { status, length: Number(length[1]) };
}

export function openConnection(port: number, timeoutMs: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ port, host: '127.0.0.1', noDelay: true });
    let pending: { resolve: (answer: Answer) => void; reject: (error: Error) => void; timer: NodeJS.Timeout } | undefined;
    let received: Buffer | undefined;

    const settle = (outcome: Answer | Error) => {
      const waiting = pending;
      if (!waiting) return;
      pending = undefined;
      clearTimeout(waiting.timer);
      if (outcome instanceof Error) waiting.reject(outcome);
      else waiting.resolve(outcome);
    };
    const fail = (error: Error) => {
      settle(error);
      socket.destroy();
    };

    socket.on('data', (chunk: Buffer) => {
      received = received ? Buffer.concat([received, chunk]) : chunk;
      const headEnd = received.indexOf(HEAD_END);
      if (headEnd === -1) return;
      const head = parseHead(received.toString('latin1', 0, headEnd));
      if (head instanceof Error) return fail(head);
      const bodyStart = headEnd + HEAD_END.length;
      if (received.length < bodyStart + head.length) return;
      if (received.length > bodyStart + head.length) return fail(new Error('more bytes than one answer: nothing was asked for them'));
      const body = received.subarray(bodyStart);
      received = undefined;
      settle({ status: head.status, body });
    });
    socket.on('error', (error) => (pending ? fail(error) : reject(error)));
    socket.on('close', () => settle(new Error('the server closed the connection')));
    socket.once('connect', () =>
      resolve({
        post(path, json) {
          if (pending) return Promise.reject(new Error('one request at a time on a connection'));
          return new Promise<Answer>((resolveAnswer, rejectAnswer) => {
            const timer = setTimeout(() => fail(new Error('request timed out')), timeoutMs);
            pending = { resolve: resolveAnswer, reject: rejectAnswer, timer };
            socket.write(`POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
          });
        },
        close: () => socket.destroy(),
      }),
    );
  });
}
