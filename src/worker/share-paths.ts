/**
 * The files a page asks to share, with the paths they are shared under: each checked by the same
 * rules every downloader applies to the metadata (src/protocol/metadata.ts), so a bad name is
 * refused here with a clear error before anything is read, never half-shared.
 */
import type { ShareSource } from '../engine';
import { isValidFilePath, MAX_FILES, pathConflict } from '../protocol/metadata';
import { fileSource } from './create-share';
import { CodedError } from './serve';

export function sourcesToShare(files: unknown, paths: unknown): ShareSource[] {
  if (!Array.isArray(files) || files.length === 0) throw new CodedError('internal', 'no files');
  if (files.length > MAX_FILES) throw new CodedError('bad-files', `${files.length} files; at most ${MAX_FILES}`);
  if (paths !== undefined && (!Array.isArray(paths) || paths.length !== files.length))
    throw new CodedError('internal', 'paths do not match the files');
  const names = (files as File[]).map((f, i) => (paths ? (paths as unknown[])[i] : f.name));
  for (const name of names)
    if (typeof name !== 'string' || !isValidFilePath(name))
      throw new CodedError('bad-files', `${JSON.stringify(name)} can't be shared under this name`);
  const conflict = pathConflict(names as string[]);
  if (conflict) throw new CodedError('bad-files', conflict);
  return (files as File[]).map((f, i) => fileSource(f, names[i] as string));
}
