/** The rooms feature's public face: the only module other features and the composition import. */
export { isOpenWithoutPayment, type RoomAccessPolicy, type RoomAccessSubject } from './access.js';
export { roomsFeature } from './plugin.js';
export type { SubscriptionInfo } from './schemas.js';
export type { RoomsService, RoomView } from './service.js';
