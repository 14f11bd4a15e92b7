/** The rooms feature's public face: the only module other features and the composition import. */
export { isOpenWithoutPayment, type RoomAccessPolicy, type RoomAccessSubject } from './access.js';
export { roomsRoutes } from './routes.js';
export type { SubscriptionInfo } from './schemas.js';
export { RoomsService, type RoomView } from './service.js';
