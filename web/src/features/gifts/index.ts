/** Gifts for a room's anchor: the catalogue, sending, the chat's gift lines and the room leaderboard. */
export { useGifts, type Gift } from './api/get-gifts.ts';
export { useLeaderboard, type RoomLeaderboard, type Supporter } from './api/get-leaderboard.ts';
export { useSendGift } from './api/send-gift.ts';
export { GiftButton } from './components/GiftButton.tsx';
export { GiftBurst } from './components/GiftBurst.tsx';
export { GiftLineItem } from './components/GiftLineItem.tsx';
export { Leaderboard } from './components/Leaderboard.tsx';
export { addGift, emptyGiftFeed, type GiftFeedState, type GiftLine } from './state/gift-feed.ts';
