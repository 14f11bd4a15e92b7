/** SQL of the images table: each encoded size of an upload under the upload's key. */
import type { Executor } from '../db/transaction.js';

export interface StoredImage {
  contentType: string;
  bytes: Buffer;
}

export class ImagesRepository {
  constructor(private readonly db: Executor) {}

  /** Stores the sizes of an upload; the same upload stored again (same key) changes nothing. */
  async insert(imageKey: string, variants: Array<{ variant: string; contentType: string; width: number; height: number; bytes: Buffer }>, now: number): Promise<void> {
    await this.db
      .insertInto('images')
      .values(
        variants.map((v) => ({
          image_key: imageKey,
          variant: v.variant,
          content_type: v.contentType,
          width: v.width,
          height: v.height,
          bytes: v.bytes,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['image_key', 'variant']).doNothing())
      .execute();
  }

  async find(imageKey: string, variant: string): Promise<StoredImage | undefined> {
    const row = await this.db
      .selectFrom('images')
      .select(['content_type', 'bytes'])
      .where('image_key', '=', imageKey)
      .where('variant', '=', variant)
      .executeTakeFirst();
    return row ? { contentType: row.content_type, bytes: Buffer.from(row.bytes) } : undefined;
  }
}
