/** A set of chunk indexes as bits, MSB first (the wire's bitfield layout), with a running count. */
export class Bitfield {
  readonly bytes: Uint8Array;
  private setCount = 0;

  constructor(readonly size: number) {
    this.bytes = new Uint8Array(Math.ceil(size / 8));
  }

  get count(): number {
    return this.setCount;
  }
  get full(): boolean {
    return this.setCount === this.size;
  }

  has(index: number): boolean {
    return (this.bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
  }

  /** Returns true when the bit was not set before. */
  set(index: number): boolean {
    const mask = 0x80 >> (index & 7);
    const b = this.bytes[index >> 3]!;
    if (b & mask) return false;
    this.bytes[index >> 3] = b | mask;
    this.setCount++;
    return true;
  }

  setAll(): void {
    for (let i = 0; i < this.size; i++) this.set(i);
  }

  /** Copy of the bytes (for snapshots and the wire). */
  toBytes(): Uint8Array {
    return this.bytes.slice();
  }
}

/** Checks untrusted wire bits against a chunk count: exact length, spare bits zero. */
export function isValidBitfield(bits: Uint8Array, size: number): boolean {
  if (bits.length !== Math.ceil(size / 8)) return false;
  const spare = bits.length * 8 - size;
  if (spare === 0) return true;
  return (bits[bits.length - 1]! & ((1 << spare) - 1)) === 0;
}
