/**
 * Counts the raw bytes of every WebSocket frame each SDK client receives.
 *
 * @colyseus/sdk 0.18 picks its WebSocket class once, when its module loads
 * (`const WebSocket = globalThis.WebSocket || NodeWebSocket` in src/transport/WebSocketTransport.ts),
 * so `installByteCounter()` must run BEFORE the SDK is imported (load.ts imports the SDK dynamically).
 * The SDK opens `ws://host/<processId>/<roomId>?sessionId=<id>`: the counter is keyed by that
 * sessionId, which is `room.sessionId` once the join resolves.
 */

export interface FrameCounter {
  bytes: number;
  frames: number;
  /** Called for each frame before the SDK decodes it (our listener is registered first). */
  onFrame?: (bytes: number) => void;
}

const counters = new Map<string, FrameCounter>();
let installed = false;

function sizeOf(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (data && typeof (data as { size?: unknown }).size === 'number') return (data as { size: number }).size;
  return 0;
}

export function installByteCounter(): void {
  if (installed) return;
  installed = true;
  const Base = globalThis.WebSocket;
  if (!Base) throw new Error('no global WebSocket (Node 22+ needed): cannot count frame bytes');
  class CountingWebSocket extends Base {
    constructor(url: string | URL, protocols?: string | string[] | Record<string, unknown>) {
      super(url, protocols as string | string[]);
      let id = '';
      try {
        id = new URL(String(url)).searchParams.get('sessionId') ?? '';
      } catch {
        /* not a URL we know */
      }
      const counter: FrameCounter = counters.get(id) ?? { bytes: 0, frames: 0 };
      counters.set(id, counter);
      this.addEventListener('message', (event: MessageEvent) => {
        const n = sizeOf(event.data);
        counter.bytes += n;
        counter.frames++;
        counter.onFrame?.(n);
      });
    }
  }
  globalThis.WebSocket = CountingWebSocket as typeof WebSocket;
}

/** The counter of the connection opened for this Colyseus sessionId (created empty if none yet). */
export function counterFor(sessionId: string): FrameCounter {
  let c = counters.get(sessionId);
  if (!c) {
    c = { bytes: 0, frames: 0 };
    counters.set(sessionId, c);
  }
  return c;
}

export function forgetCounters(): void {
  counters.clear();
}
