/**
 * Who is watching which room. `live_num` is the number of distinct viewers (a user or guest with
 * three tabs counts once). The realtime gateway reports joins and leaves; listings read counts
 * synchronously from a local view, which the Redis implementation keeps in step across instances.
 */
export interface Presence {
  join(roomId: string, viewerKey: string, connectionId: string): void;
  leave(roomId: string, viewerKey: string, connectionId: string): void;
  /** Distinct viewers in the room, across all instances. */
  count(roomId: string): number;
  close(): Promise<void>;
}

export class MemoryPresence implements Presence {
  /** room -> viewer -> that viewer's open connections */
  private readonly rooms = new Map<string, Map<string, Set<string>>>();

  join(roomId: string, viewerKey: string, connectionId: string): void {
    let viewers = this.rooms.get(roomId);
    if (!viewers) this.rooms.set(roomId, (viewers = new Map()));
    let connections = viewers.get(viewerKey);
    if (!connections) viewers.set(viewerKey, (connections = new Set()));
    connections.add(connectionId);
  }

  leave(roomId: string, viewerKey: string, connectionId: string): void {
    const viewers = this.rooms.get(roomId);
    const connections = viewers?.get(viewerKey);
    if (!viewers || !connections) return;
    connections.delete(connectionId);
    if (connections.size === 0) viewers.delete(viewerKey);
    if (viewers.size === 0) this.rooms.delete(roomId);
  }

  count(roomId: string): number {
    return this.rooms.get(roomId)?.size ?? 0;
  }

  async close(): Promise<void> {
    this.rooms.clear();
  }
}
