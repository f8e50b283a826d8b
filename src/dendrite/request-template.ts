/**
 * One synapse sent to many axons: the body and headers are the same for every
 * axon but for six values (the nonce, the signature, the axon's ip, port and
 * hotkey, and total_size). A template serialises the synapse once, with
 * placeholders in those slots, and hashes its body once; `prepare` then only
 * signs and splices. The output is byte for byte what `prepareRequest` builds
 * (test/unit/request-template.test.ts checks it against that reference).
 */
import { randomBytes } from 'node:crypto';
import { bytesToHex, utf8 } from '../crypto/bytes.js';
import { dumpPyJson, pyJsonString } from '../synapse/pyjson.js';
import type { Synapse } from '../synapse/synapse.js';
import type { AxonTarget } from '../targets/types.js';
import { endpointUrl, fillRequestState, prepareRequest, signingMessage, type PreparedRequest, type RequestIdentity } from './request.js';

type Slot = 'nonce' | 'signature' | 'ip' | 'port' | 'hotkey' | 'total';
const SLOTS: readonly Slot[] = ['nonce', 'signature', 'ip', 'port', 'hotkey', 'total'];

export class RequestTemplate {
  readonly timeout: number;
  readonly #synapse: Synapse;
  readonly #id: RequestIdentity;
  readonly #bodyHash: string;
  /** Body text between slots: parts[0] slot[0] parts[1] slot[1] ... parts[n]. */
  readonly #parts: string[] = [];
  readonly #partSlots: Slot[] = [];
  readonly #fixedLength: number = 0;
  /** Header names in Python's order, each with a constant value or a slot. */
  readonly #headerNames: string[] = [];
  readonly #headerValues: (string | Slot)[] = [];
  readonly #headerIsSlot: boolean[] = [];
  /** False when the synapse's own values contain a placeholder (never in practice): prepare() then takes the slow path. */
  readonly #usable: boolean;

  constructor(synapse: Synapse, id: RequestIdentity, timeout: number) {
    this.#synapse = synapse;
    this.#id = id;
    this.timeout = timeout;
    // Random placeholders: no field value can collide with them by accident,
    // and a collision is detected anyway (each must occur exactly once).
    const tag = randomBytes(12).toString('hex');
    const mark = (s: Slot): string => `__dendrite_${s}_${tag}__`;
    const draft = synapse.clone();
    const text = (s: Slot): never => mark(s) as never;
    fillRequestState(draft, { ip: text('ip'), port: text('port'), hotkey: text('hotkey') }, id, text('nonce'), timeout);
    draft.dendrite.signature = text('signature');
    this.#bodyHash = draft.bodyHash();
    const dump = draft.dump();
    dump.set('total_size', mark('total'));
    const body = dumpPyJson(dump, 'python');
    const headers = draft.toHeaders(text('total'), this.#bodyHash);
    headers['content-type'] = 'application/json';

    const quoted = new Map<string, Slot>(SLOTS.map((s) => [`"${mark(s)}"`, s]));
    const bare = new Map<string, Slot>(SLOTS.map((s) => [mark(s), s]));
    let usable = true;
    const seen = new Map<Slot, number>();
    const re = new RegExp(`"?__dendrite_(${SLOTS.join('|')})_${tag}__"?`, 'g');
    let last = 0;
    for (const m of body.matchAll(re)) {
      const slot = quoted.get(m[0]) ?? bare.get(m[0]);
      if (!slot) {
        usable = false;
        break;
      }
      seen.set(slot, (seen.get(slot) ?? 0) + 1);
      this.#parts.push(body.slice(last, m.index));
      this.#partSlots.push(slot);
      last = m.index! + m[0].length;
    }
    this.#parts.push(body.slice(last));
    if (SLOTS.some((s) => seen.get(s) !== 1)) usable = false;
    this.#fixedLength = this.#parts.reduce((n, p) => n + p.length, 0);

    for (const [name, value] of Object.entries(headers)) {
      const slot = bare.get(value);
      this.#headerNames.push(name);
      this.#headerValues.push(slot ?? value);
      this.#headerIsSlot.push(slot !== undefined);
      if (slot === undefined && value.includes(tag)) usable = false;
    }
    // ensure_ascii makes the body ASCII, so its length in bytes is its length in characters.
    if (!/^[\x20-\x7e]*$/.test(body)) usable = false;
    this.#usable = usable;
  }

  /** True when prepare() splices (false only if a field value contained a placeholder). */
  get spliced(): boolean {
    return this.#usable;
  }

  /** The body hash of the synapse (the same for every axon). */
  get bodyHash(): string {
    return this.#bodyHash;
  }

  /**
   * Fills `local` (a clone of the template's synapse) as `prepareRequest`
   * does, signs, and returns the wire request. Call it immediately before
   * sending: it takes the nonce now.
   */
  prepare(local: Synapse, target: AxonTarget, nonce: bigint): PreparedRequest {
    const hotkey = target.hotkey;
    // A missing axon hotkey changes the header set ("None" in the message): the reference path handles it.
    if (!this.canSplice(target)) return prepareRequest(local, target, this.#id, nonce, this.timeout);
    return this.finish(local, target, nonce, bytesToHex(this.#id.signer.sign(utf8(this.message(hotkey!, nonce)))));
  }

  /** True when `message`/`finish` may be used for this target (else use `prepare`). */
  canSplice(target: AxonTarget): boolean {
    return this.#usable && target.hotkey !== undefined && target.hotkey !== null;
  }

  /** The text the dendrite signs for an axon with this hotkey (PROTOCOL.md §4). */
  message(axonHotkey: string, nonce: bigint): string {
    return signingMessage(this.#id, axonHotkey, nonce, this.#bodyHash);
  }

  /** `prepare` with the signature (0x-hex) made elsewhere, over `message(target.hotkey, nonce)`. */
  finish(local: Synapse, target: AxonTarget, nonce: bigint, signature: string): PreparedRequest {
    const hotkey = target.hotkey!;
    const id = this.#id;
    fillRequestState(local, target, id, nonce, this.timeout);
    local.dendrite.signature = signature;
    const nonceText = nonce.toString();
    const portText = String(target.port);
    const json: Record<Slot, string> = {
      nonce: nonceText,
      signature: `"${signature}"`,
      ip: pyJsonString(target.ip, true),
      port: portText,
      hotkey: pyJsonString(hotkey, true),
      total: '0',
    };
    // total_size is the byte length of the body with "0" in its place (as prepareRequest does).
    let draftLength = this.#fixedLength;
    for (const s of this.#partSlots) draftLength += json[s].length;
    const total = String(draftLength);
    json.total = total;
    local.total_size = draftLength;
    const parts = this.#parts;
    const slots = this.#partSlots;
    let body = parts[0]!;
    for (let i = 0; i < slots.length; i++) body += json[slots[i]!] + parts[i + 1]!;

    const text: Record<Slot, string> = { nonce: nonceText, signature, ip: target.ip, port: portText, hotkey, total };
    const headers: Record<string, string> = {};
    const names = this.#headerNames;
    const values = this.#headerValues;
    const isSlot = this.#headerIsSlot;
    for (let i = 0; i < names.length; i++) headers[names[i]!] = isSlot[i] ? text[values[i] as Slot] : values[i]!;
    const { origin, path } = endpointUrl(target, local.name, id.externalIp);
    return { url: origin + path, origin, path, headers, body, nonce };
  }
}
