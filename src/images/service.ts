/**
 * Room images: an upload (PNG, JPEG or WebP) is decoded once and re-encoded by sharp to the kind's
 * fixed sizes as WebP. Nothing of the original file survives but its pixels: metadata (EXIF, colour
 * profile comments, PNG text chunks such as a SillyTavern character card's JSON) is never copied.
 * The sizes are stored in the database under a hash of the upload, so every instance serves the
 * same bytes and a URL never changes meaning (served as immutable).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import sharp, { type Metadata } from 'sharp';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import { Semaphore, SemaphoreFullError } from '../infra/semaphore.js';
import { ImagesRepository, type StoredImage } from './repository.js';
import { IMAGE_KINDS, type ImageKind } from './schemas.js';

/** Largest upload accepted, before any decoding. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/**
 * Largest picture decoded (about 40 megapixels, a 8000 × 5000 photo). A small file can declare a
 * huge canvas (a decompression bomb); its header is read first and it is refused undecoded.
 */
export const MAX_IMAGE_PIXELS = 40_000_000;
const ACCEPTED_FORMATS = new Set(['png', 'jpeg', 'webp']);
/** Decoding is CPU- and memory-heavy: a few at once, a short line, then 503. */
const ENCODE_CONCURRENCY = 2;
const ENCODE_MAX_WAITING = 8;

// Encoded sizes go to the database; libvips' own operation cache would only hold memory.
sharp.cache(false);


export class ImageService {
  private readonly repo: ImagesRepository;
  private readonly encoding = new Semaphore(ENCODE_CONCURRENCY, ENCODE_MAX_WAITING);

  constructor(
    db: Kysely<Database>,
    private readonly clock: () => number,
  ) {
    this.repo = new ImagesRepository(db);
  }

  /** Encodes and stores an upload; returns its key. Refuses what is not a PNG, JPEG or WebP picture. */
  async store(kind: ImageKind, upload: Buffer): Promise<string> {
    if (upload.length === 0) throw new AppError(400, 'image_missing', 'Send the image file as the request body');
    if (upload.length > MAX_IMAGE_BYTES) throw new AppError(413, 'image_too_large', 'Images are at most 5 MB');
    const imageKey = createHash('sha256').update(kind).update('\0').update(upload).digest('hex').slice(0, 32);
    try {
      const variants = await this.encoding.run(() => encode(kind, upload));
      await this.repo.insert(imageKey, variants, this.clock());
    } catch (err) {
      if (err instanceof SemaphoreFullError) throw new AppError(503, 'server_busy', 'Too many images being processed: try again in a moment', { retry_after: 1 });
      throw err;
    }
    return imageKey;
  }

  find(imageKey: string, variant: string): Promise<StoredImage | undefined> {
    return this.repo.find(imageKey, variant);
  }
}

async function encode(kind: ImageKind, upload: Buffer) {
  let metadata: Metadata;
  try {
    // Reads the header only: the format and the declared size, before any pixel is decoded.
    metadata = await sharp(upload, { limitInputPixels: false }).metadata();
  } catch {
    throw undecodable();
  }
  if (!metadata.format || !ACCEPTED_FORMATS.has(metadata.format)) {
    throw new AppError(415, 'unsupported_image_type', 'Upload a PNG, JPEG or WebP image');
  }
  const { width, height } = metadata;
  if (!width || !height) throw undecodable();
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new AppError(422, 'image_too_many_pixels', `Images are at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels (this one declares ${width} × ${height})`);
  }
  try {
    // One decode (first frame only; EXIF orientation applied), then each size from it.
    const decoded = sharp(upload, { limitInputPixels: MAX_IMAGE_PIXELS, animated: false, failOn: 'error' }).rotate();
    return await Promise.all(
      IMAGE_KINDS[kind].map(async (size) => {
        const bytes = await decoded.clone().resize(size.width, size.height, { fit: 'cover', position: 'attention' }).webp({ quality: 80 }).toBuffer();
        return { variant: size.variant, contentType: 'image/webp', width: size.width, height: size.height, bytes };
      }),
    );
  } catch {
    throw undecodable();
  }
}

function undecodable(): AppError {
  return new AppError(422, 'image_undecodable', 'This file is not an image that can be read (damaged, or not a PNG, JPEG or WebP)');
}
