/**
 * A student opened the classroom link (`#/join/<link secret>/<key>`): keep the room key for that
 * share's swarm and go on to its ordinary page `#/s/<link secret>`, before the app boots and reads
 * the download link. The page then follows the room and applies only controls signed with that key.
 */
import { sharePath } from '../paths';
import { swarmIdOfLink } from '../share-link';
import { parseJoinHash } from './links';
import { saveRoomKey } from './secret';

export function adoptClassroomLink(): void {
  const join = parseJoinHash(location.hash);
  if (!join) return;
  const swarmId = swarmIdOfLink(join.swarm);
  if (join.key && swarmId) saveRoomKey(swarmId, join.key);
  location.replace(`#${sharePath(join.swarm)}`);
}
