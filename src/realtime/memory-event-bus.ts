import type { DomainEvent, DomainEventHandler, EventBus } from './events.js';

/** Single-process bus: delivers synchronously to every local subscriber. */
export class MemoryEventBus implements EventBus {
  private readonly handlers = new Set<DomainEventHandler>();

  async publish(event: DomainEvent): Promise<void> {
    this.deliver(event);
  }

  /** Used by cross-instance buses to hand remote events to local subscribers. */
  deliver(event: DomainEvent): void {
    for (const handler of this.handlers) handler(event);
  }

  subscribe(handler: DomainEventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
