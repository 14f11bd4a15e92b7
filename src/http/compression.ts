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

export async function installCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    threshold: COMPRESSION_THRESHOLD_BYTES,
    encodings: ['br', 'gzip'],
    // Only API JSON: the web build ships its own .br/.gz twins and small files are not worth it.
    customTypes: /^application\/json/,
  });
}

/** The encoding to send a body in, from the request's Accept-Encoding (a `q=0` refuses one). */
export function acceptedEncoding(header: string | string[] | undefined): BodyEncoding | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
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
