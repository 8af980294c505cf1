/** The tests' hasher: pure JS SHA-256 (pickHasher's fallback), so a test resolves without a thread pool. */
import { pickHasher } from '../hasher';

export const jsHasher = pickHasher({ forceJs: true }).hasher;
