import { describe, expect, it } from 'vitest';
import { Listeners } from './listeners';

describe('Listeners', () => {
  it('calls each subscriber until it unsubscribes, also from inside a call', () => {
    const l = new Listeners<number>();
    const got: string[] = [];
    const offA = l.add((v) => got.push(`a${v}`));
    const offB = l.add((v) => (got.push(`b${v}`), offB()));
    l.emit(1);
    l.emit(2);
    offA();
    l.emit(3);
    expect(got).toEqual(['a1', 'b1', 'a2']);
    expect(l.size).toBe(0);
  });

  it('with onError, a throwing listener is reported and the others still run', () => {
    const errors: unknown[] = [];
    const l = new Listeners<number>((e) => errors.push(e));
    const got: number[] = [];
    l.add(() => {
      throw new Error('bad listener');
    });
    l.add((v) => got.push(v));
    l.emit(7);
    expect(got).toEqual([7]);
    expect(errors).toHaveLength(1);
  });

  it('without onError, the error reaches the emitter', () => {
    const l = new Listeners<void>();
    l.add(() => {
      throw new Error('bad listener');
    });
    expect(() => l.emit()).toThrow('bad listener');
  });
});
