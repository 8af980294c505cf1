import { MemoryChunkStore } from './memory-store';
import { runChunkStoreContract } from './chunk-store-contract';

runChunkStoreContract('MemoryChunkStore', () => new MemoryChunkStore());
