/** Test helper: a raw HTTP request to the tracker, so paths are sent exactly as written (fetch would normalize them). */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

export function rawRequest(
  port: number,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
