/**
 * A student opened the classroom link (`#/join/<swarm>/<key>`): keep the room key for that share
 * and go on to its ordinary page `#/d/<swarm>`, before the app boots and reads the download link.
 * The page then follows the room and applies only controls signed with that key.
 */
import { parseJoinHash } from './links';
import { saveRoomKey } from './secret';

export function adoptClassroomLink(): void {
  const join = parseJoinHash(location.hash);
  if (!join) return;
  if (join.key) saveRoomKey(join.swarm, join.key);
  location.replace(`#/d/${join.swarm}`);
}
