/** Live rooms: the list, a room's page (transcript, viewer chat, paywall) and followed rooms. */
export { getFollowedLives, type FollowedLive } from './api/get-followed-lives.ts';
export { HomePage } from './components/HomePage.tsx';
export { RoomCard } from './components/RoomCard.tsx';
export { RoomPage } from './components/RoomPage.tsx';
