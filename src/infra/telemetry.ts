/**
 * What features count for operators, without knowing about Prometheus: the metrics plugin provides
 * counters when /metrics is on, and without it nothing is counted.
 */
export type TelemetryCounter =
  /** A WebSocket closed with 4008 because it read too slowly. */
  | 'websocket_slow_clients_dropped'
  /** A WebSocket client frame refused by the per-socket rate limit (error frame or close 4029). */
  | 'websocket_rate_limited'
  /** The event bus lost its subscription for a while (Redis down or restarted): rooms caught up. */
  | 'event_bus_gaps';

export interface Telemetry {
  count(counter: TelemetryCounter): void;
}

export const NO_TELEMETRY: Telemetry = { count: () => undefined };
