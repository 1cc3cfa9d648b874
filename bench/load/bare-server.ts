/**
 * A bare Colyseus 0.18 room server, the reference for the load bench: one room type `bare` whose
 * state is one number that never changes, and which answers every message type of the Bamboo
 * protocol with `{ ok: true }`. Run as a child process: `PORT=N node bench/load/bare-server.ts`.
 */
import { defineRoom, defineServer, Room } from '@colyseus/core';
import { schema, t } from '@colyseus/schema';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { CLIENT_MESSAGE_TYPES } from '#shared/protocol.ts';

const BareState = schema({ n: t.number().default(0) }, 'BareState');

class BareRoom extends Room<{ state: InstanceType<typeof BareState> }> {
  override maxClients = 200;
  override onCreate(): void {
    this.state = new BareState();
    for (const type of CLIENT_MESSAGE_TYPES) this.onMessage(type, () => ({ ok: true }));
  }
  override onJoin(): void {}
}

const server = defineServer({
  rooms: { bare: defineRoom(BareRoom) },
  transport: new WebSocketTransport({ maxPayload: 64 * 1024 }),
  greet: false,
  logger: { info: () => {}, warn: console.warn, error: console.error, debug: () => {} },
});
await server.listen(Number(process.env.PORT ?? 2599));
