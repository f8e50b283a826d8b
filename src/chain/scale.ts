/**
 * A minimal SCALE reader: just what the old-runtime `Bytes` form of
 * get_neurons_lite needs (CHAIN.md A3). Kept free of @polkadot/* so it is
 * cheap to load and easy to test against encodings made by the real registry.
 */
import { ChainError } from '../errors.js';

export class ScaleReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  take(n: number): Uint8Array {
    if (this.offset + n > this.bytes.length) {
      throw new ChainError('chain_decode', `cannot decode the chain's reply: needed ${n} more bytes at offset ${this.offset} of ${this.bytes.length}`);
    }
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** Little-endian unsigned integer of `n` bytes. */
  uint(n: number): bigint {
    const b = this.take(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    return v;
  }

  u8(): number {
    return Number(this.uint(1));
  }
  u16(): number {
    return Number(this.uint(2));
  }
  u32(): number {
    return Number(this.uint(4));
  }
  u64(): bigint {
    return this.uint(8);
  }
  u128(): bigint {
    return this.uint(16);
  }

  bool(): boolean {
    const b = this.u8();
    if (b > 1) throw new ChainError('chain_decode', `cannot decode the chain's reply: bad bool byte ${b} at offset ${this.offset - 1}`);
    return b === 1;
  }

  /** SCALE Compact<uN>: the two low bits of the first byte give the mode. */
  compact(): bigint {
    const first = this.take(1)[0]!;
    const mode = first & 3;
    if (mode === 0) return BigInt(first >> 2);
    if (mode === 1) return (BigInt(first) | (BigInt(this.take(1)[0]!) << 8n)) >> 2n;
    if (mode === 2) {
      const rest = this.uint(3);
      return ((rest << 8n) | BigInt(first)) >> 2n;
    }
    return this.uint((first >> 2) + 4);
  }

  compactNumber(): number {
    const v = this.compact();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ChainError('chain_decode', `cannot decode the chain's reply: length ${v} is too large`);
    }
    return Number(v);
  }

  /** A length-prefixed byte string (`Bytes`, `Vec<u8>`). */
  bytesVec(): Uint8Array {
    return this.take(this.compactNumber());
  }
}
