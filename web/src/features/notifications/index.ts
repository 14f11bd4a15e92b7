/** Notifications: followed rooms going live, as toasts and (opted in) browser notifications. */
export { BrowserNotificationsToggle } from './components/BrowserNotificationsToggle.tsx';
export { GoLiveNotifications } from './components/GoLiveNotifications.tsx';
