/** Live rooms: the list, a room's page (transcript, viewer chat, paywall) and followed rooms. */
export { FollowedRooms } from './components/FollowedRooms.tsx';
export { HomePage } from './components/HomePage.tsx';
export { RoomPage } from './components/RoomPage.tsx';
export { prefetchLiveList, prefetchRoom } from './prefetch.ts';
export { Transcript } from './components/Transcript.tsx';
export { useLiveRoom, type LiveRoom, type LiveRoomOptions } from './state/useLiveRoom.ts';
