// A plain HTTP GET for suites that check headers exactly as a server sent them (fetch adds
// its own cache and encoding behaviour), and for suites that watch connections: a refused or
// reset connection rejects with the socket's error (code ECONNREFUSED, ECONNRESET).
import http from 'node:http';

export interface PlainResponse {
  status: number;
  headers: http.IncomingHttpHeaders & Record<string, string | undefined>;
  body: string;
}

export interface GetOptions {
  /** An agent with keepAlive leaves the connection open afterwards, as browsers and proxies do; default: a connection of its own. */
  agent?: http.Agent | false;
  /** Rejects with code "HUNG" when no whole answer came within this long (default: waits). */
  withinMs?: number;
}

export function get(url: string, headers: Record<string, string> = {}, { agent = false, withinMs }: GetOptions = {}): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers as PlainResponse['headers'], body }),
      );
      response.on('error', reject);
    });
    if (withinMs !== undefined) {
      request.setTimeout(withinMs, () => request.destroy(Object.assign(new Error(`no answer within ${withinMs / 1000} s`), { code: 'HUNG' })));
    }
    request.on('error', reject);
  });
}

export interface BytesResponse {
  status: number;
  headers: http.IncomingHttpHeaders & Record<string, string | undefined>;
  /** The body exactly as it came over the wire: still compressed when the server compressed it. */
  bytes: Buffer;
}

/** A GET that keeps the raw bytes (get() decodes them as UTF-8), for suites that weigh or decompress a body. */
export function getBytes(url: string, headers: Record<string, string> = {}, { agent = false, withinMs }: GetOptions = {}): Promise<BytesResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers as BytesResponse['headers'], bytes: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    if (withinMs !== undefined) {
      request.setTimeout(withinMs, () => request.destroy(Object.assign(new Error(`no answer within ${withinMs / 1000} s`), { code: 'HUNG' })));
    }
    request.on('error', reject);
  });
}
