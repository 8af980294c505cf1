export { Listeners } from '../protocol/listeners';
