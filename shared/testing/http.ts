// A plain HTTP GET for suites that check headers exactly as a server sent them (fetch adds
// its own cache and encoding behaviour).
import http from 'node:http';

export interface PlainResponse {
  status: number;
  headers: http.IncomingHttpHeaders & Record<string, string | undefined>;
  body: string;
}

export function get(url: string, headers: Record<string, string> = {}): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers as PlainResponse['headers'], body }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}
