/**
 * Where the bytes of uploaded images live. The metadata (which conversation, who, what type)
 * is in the store's `images` table; this seam holds only bytes, by image id. The composition
 * root picks the implementation that goes with the store: files under the data directory beside
 * a SQLite store (`FileImageStore`), `bytea` rows beside a PostgreSQL one (`PostgresImageStore`),
 * so that several server processes on one PostgreSQL database all see every image.
 */
export interface ImageStore {
  /** Stores `bytes` under `id`; resolves once they are durable. */
  write(id: string, bytes: Uint8Array): Promise<void>;
  /** The bytes stored under `id`, or undefined when there are none. */
  read(id: string): Promise<Uint8Array | undefined>;
  /** Removes the bytes of `id`; nothing happens when there are none. */
  delete(id: string): Promise<void>;
}
