/**
 * JSON answers compressed for clients that accept it. Bodies under the threshold go out as they
 * are: for a few hundred bytes, compressing costs more time than the bytes it saves. Bodies that
 * are built once and sent to many viewers (`PreSerializedBodies`) are compressed once too, here,
 * and the per-request compressor leaves answers that already carry a Content-Encoding alone.
 */
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

export const COMPRESSION_THRESHOLD_BYTES = 1024;

export type BodyEncoding = 'br' | 'gzip';

/**
 * Routes whose answers are always far below the threshold (a session, a room's info): they skip the
 * compressor's hook altogether rather than pay for negotiating on every request of the hottest paths.
 */
const ALWAYS_SMALL_ROUTES = new Set(['/api/users/is_logged_in', '/api/users/is_google_logged_in', '/api/live/get_live_info']);

export async function installCompression(app: FastifyInstance): Promise<void> {
  // Added before the plugin, so it runs before the plugin's own onRoute hook reads the option.
  app.addHook('onRoute', (route) => {
    if (ALWAYS_SMALL_ROUTES.has(route.url)) route.compress = false;
  });
  await app.register(compress, {
    threshold: COMPRESSION_THRESHOLD_BYTES,
    encodings: ['br', 'gzip'],
    // Request bodies stay uncompressed, as before: no hook on every request for them.
    globalDecompression: false,
    // Only API JSON: the web build ships its own .br/.gz twins and small files are not worth it.
    customTypes: /^application\/json/,
  });
}

/** Browsers send a handful of distinct Accept-Encoding values; each is read once. */
const negotiated = new Map<string, BodyEncoding | null>();
const NEGOTIATED_MAX = 100;

/** The encoding to send a body in, from the request's Accept-Encoding (a `q=0` refuses one). */
export function acceptedEncoding(header: string | string[] | undefined): BodyEncoding | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  const known = negotiated.get(header);
  if (known !== undefined) return known ?? undefined;
  const encoding = negotiate(header);
  if (negotiated.size < NEGOTIATED_MAX) negotiated.set(header, encoding ?? null);
  return encoding;
}

function negotiate(header: string): BodyEncoding | undefined {
  let gzip = false;
  for (const part of header.split(',')) {
    const [token = '', ...params] = part.trim().toLowerCase().split(';');
    const refused = params.some((param) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(param));
    if (refused) continue;
    if (token === 'br') return 'br';
    if (token === 'gzip' || token === '*') gzip = true;
  }
  return gzip ? 'gzip' : undefined;
}

/** Compresses a body once, for every later request that accepts the encoding. */
export function compressBody(body: Buffer, encoding: BodyEncoding): Buffer {
  return encoding === 'br'
    ? brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzipSync(body, { level: 6 });
}
