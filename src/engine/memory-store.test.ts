import { MemoryChunkStore } from './memory-store';
import { runChunkStoreContract } from './testing/chunk-store-contract';

runChunkStoreContract('MemoryChunkStore', () => new MemoryChunkStore());
