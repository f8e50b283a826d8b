import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, utf8 } from '../../src/crypto/bytes.js';
import { canonicalToEd25519Form, ed25519FormToCanonical } from '../../src/crypto/keyform.js';
import { miniSecretFromPhrase, pairFromPhrase, pairFromUri, DEV_PHRASE } from '../../src/crypto/derive.js';
import { decodeAddress, encodeAddress } from '../../src/crypto/ss58.js';
import { Sr25519Pair, verifySr25519 } from '../../src/crypto/sr25519.js';

// Vectors from WALLET.md §7.
const OLD_LEOPARD = 'old leopard transfer rib spatial phone calm indicate online fire caution review';

describe('key derivation (WALLET.md §7)', () => {
  it('derives the dev phrase with no path', async () => {
    expect(bytesToHex(miniSecretFromPhrase(DEV_PHRASE))).toBe('0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e');
    const pair = await pairFromPhrase(DEV_PHRASE);
    expect(bytesToHex(pair.publicKey)).toBe('0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a');
    expect(pair.address).toBe('5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV');
  });

  it('derives the btwallet test mnemonic, tolerating extra whitespace', async () => {
    expect(bytesToHex(miniSecretFromPhrase(`  ${OLD_LEOPARD.replace(/ /g, '   ')} `))).toBe(
      '0xda3cf5b1e9144931a0f0db65664aab662673b099415a7f8121b7245fb0be4143',
    );
    const pair = await pairFromPhrase(OLD_LEOPARD);
    expect(pair.address).toBe('5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX');
  });

  it('rejects an invalid phrase', () => {
    expect(() => miniSecretFromPhrase('not a real phrase at all')).toThrow(/invalid BIP39/);
  });

  it.each([
    ['//Alice', '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'],
    ['//Bob', '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty'],
    [`${OLD_LEOPARD}//Alice`, '5FEiH8iuDUw271xbqWTWuB6WrDjv5dnCeDX1CyHubAniXDNN'],
    [`${OLD_LEOPARD}/Alice`, '5GNXbA46ma5dg19GXdiKi5JH3mnkZ8Yea3bBtZAvj7t99P9i'],
    ['//Bob/test', '5CJGwWiKXSE16WJaxBdPZhWqUYkotgenLUALv7ZvqQ4TXeqf'],
    ['/Bob//test', '5Cwc8tShrshDJUp1P1M21dKUTcYQpV9GcfSa4hUBNmMdV3Cx'],
    ['//PathNameLongerThan32BytesWhichShouldBeHashed', '5GR5pfZeNs1uQiSWVxZaQiZou3wdZiX894eqgvfNfHbEh7W2'],
  ])('derives %s', async (uri, address) => {
    expect((await pairFromUri(uri)).address).toBe(address);
  });
});

describe('privateKey byte forms (WALLET.md §5, §7)', () => {
  const cases = [
    // [canonical, ed25519 form]
    [
      '0x05d65584630d16cd4af6d0bec10f34bb504a5dcb62dba2122d49f5a663763d0afd190cce74df356432b410bd64682309d6dedb27c76845daf388557cbac3ca34',
      '0x28b0ae221c6bb06856b287f60d7ea0d98552ea5a16db16956849aa371db3eb51fd190cce74df356432b410bd64682309d6dedb27c76845daf388557cbac3ca34',
    ],
    [
      '0x1f1995bdf3a17b60626a26cfe6f564b337d46056b7a1281b64c649d592ccda0a9cffd34d9fb01cae1fba61aeed184c817442a2186d5172416729a4b54dd4b84e',
      '0xf8c8a8ec9d0fdd031353337936af279bbda106b3ba0d45d920334eaa9664d6569cffd34d9fb01cae1fba61aeed184c817442a2186d5172416729a4b54dd4b84e',
    ],
    [
      '0x33a6f3093f158a7109f679410bef1a0c54168145e0cecb4df006c1c2fffb1f09925a225d97aa00682d6a59b95b18780c10d7032336e88f3442b42361f4a66011',
      '0x98319d4ff8a9508c4bb0cf0b5a78d760a0b2082c02775e6e82370816fedfff48925a225d97aa00682d6a59b95b18780c10d7032336e88f3442b42361f4a66011',
    ],
  ] as const;

  it.each(cases)('converts %s both ways', (canonical, ed) => {
    expect(bytesToHex(canonicalToEd25519Form(hexToBytes(canonical)))).toBe(ed);
    expect(bytesToHex(ed25519FormToCanonical(hexToBytes(ed)))).toBe(canonical);
  });

  it('a converted canonical Alice key signs as Alice; the unconverted one does not', async () => {
    const alicePub = hexToBytes('0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d');
    const canonical = hexToBytes(cases[2][0]);
    const pair = await Sr25519Pair.fromSecret(canonicalToEd25519Form(canonical), alicePub);
    expect(pair?.address).toBe('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
    expect(await Sr25519Pair.fromSecret(canonical, alicePub)).toBeUndefined();
    const msg = utf8('1.a.b.c.d');
    expect(await verifySr25519(msg, pair!.sign(msg), alicePub)).toBe(true);
  });
});

describe('ss58 and verification', () => {
  it('decodes a Polkadot (prefix 0) address to the same key', () => {
    const { publicKey, format } = decodeAddress('16ADqpMa4yzfmWs3nuTSMhfZ2ckeGtvqhPWCNqECEGDcGgU2');
    expect(format).toBe(0);
    expect(bytesToHex(publicKey)).toBe('0xe4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446');
    expect(encodeAddress(publicKey)).toBe('5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX');
  });

  it('rejects a bad checksum', () => {
    expect(() => decodeAddress('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ')).toThrow(/Invalid SS58/);
  });

  it('accepts <Bytes>-wrapped signatures and rejects others', async () => {
    const alice = await pairFromUri('//Alice');
    const bob = await pairFromUri('//Bob');
    const msg = utf8('hello');
    const wrapped = alice.sign(utf8('<Bytes>hello</Bytes>'));
    expect(await verifySr25519(msg, wrapped, alice.publicKey)).toBe(true);
    expect(await verifySr25519(msg, alice.sign(msg), bob.publicKey)).toBe(false);
    expect(await verifySr25519(msg, new Uint8Array(64), alice.publicKey)).toBe(false);
  });

  it('never shows the secret when inspected or serialised', async () => {
    const alice = await pairFromUri('//Alice');
    expect(JSON.stringify(alice)).toBe('{"address":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}');
    const { inspect } = await import('node:util');
    expect(inspect(alice)).not.toMatch(/98319d4f|33a6f309/);
  });
});
