import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { imageIdPattern } from '@botwire/protocol';
import type { ImageStore } from './image-store.js';

/**
 * Image bytes as one file per image in `directory` (`<dataDir>/images` beside a SQLite store).
 * Files are written to a temporary name and renamed, so a crash never leaves half an image under
 * a real id. Ids are checked against the protocol's pattern before they become file names.
 */
export class FileImageStore implements ImageStore {
  private ready: Promise<void> | undefined;

  constructor(private readonly directory: string) {}

  async write(id: string, bytes: Uint8Array): Promise<void> {
    const file = this.fileOf(id);
    this.ready ??= mkdir(this.directory, { recursive: true }).then(() => undefined);
    await this.ready;
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, bytes, { flag: 'wx' });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async read(id: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.fileOf(id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    await rm(this.fileOf(id), { force: true });
  }

  private fileOf(id: string): string {
    if (!imageIdPattern.test(id)) throw new Error(`not an image id: ${JSON.stringify(id)}`);
    return path.join(this.directory, id);
  }
}
