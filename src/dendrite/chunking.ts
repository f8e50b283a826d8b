/**
 * Cutting a byte stream into chunks for the user. How chunks are cut is the
 * subnet's business (PROTOCOL.md §9); we offer three ways. UTF-8 is decoded
 * across arrival boundaries, so a multi-byte character split between two
 * arrivals is never broken.
 */
export type SplitMode = 'raw' | 'lines' | 'sse';

export interface Chunker {
  /** Bytes that just arrived -> zero or more chunks. */
  push(bytes: Uint8Array): string[];
  /** End of stream -> whatever is left. */
  end(): string[];
}

export function createChunker(mode: SplitMode): Chunker {
  const decoder = new TextDecoder('utf-8');
  if (mode === 'raw') {
    return {
      push: (b) => {
        const s = decoder.decode(b, { stream: true });
        return s === '' ? [] : [s];
      },
      end: () => {
        const s = decoder.decode();
        return s === '' ? [] : [s];
      },
    };
  }
  let buffer = '';
  if (mode === 'lines') {
    const take = (): string[] => {
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      return parts.map((p) => (p.endsWith('\r') ? p.slice(0, -1) : p));
    };
    return {
      push: (b) => {
        buffer += decoder.decode(b, { stream: true });
        return take();
      },
      end: () => {
        buffer += decoder.decode();
        const out = take();
        if (buffer !== '') out.push(buffer);
        buffer = '';
        return out;
      },
    };
  }
  // Server-sent events: `data:` lines joined by "\n", an event ends at a blank line.
  let data: string[] = [];
  const lines = (final: boolean): string[] => {
    const out: string[] = [];
    const parts = buffer.split(/\r\n|\r|\n/);
    buffer = final ? '' : parts.pop()!;
    for (const line of parts) {
      if (line === '') {
        if (data.length) out.push(data.join('\n'));
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line[5] === ' ' ? 6 : 5));
      }
      // Comments (":") and other fields (event, id, retry) carry no data.
    }
    if (final && data.length) {
      out.push(data.join('\n'));
      data = [];
    }
    return out;
  };
  return {
    push: (b) => {
      buffer += decoder.decode(b, { stream: true });
      return lines(false);
    },
    end: () => {
      buffer += decoder.decode();
      return lines(true);
    },
  };
}
