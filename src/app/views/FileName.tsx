/**
 * A file name as the sharer gave it, made safe to look at (src/app/display-name.ts): the rest of
 * the name in its own bidi isolate, so right-to-left text in it cannot move the extension, which
 * follows it on its own. The title holds the neutralised name in full.
 */
import { displayName } from '../display-name';

export function FileName({ name }: { name: string }) {
  const shown = displayName(name);
  return (
    <span title={shown.text}>
      <bdi>{shown.base}</bdi>
      {shown.ext && <span className="file-ext">{shown.ext}</span>}
    </span>
  );
}
