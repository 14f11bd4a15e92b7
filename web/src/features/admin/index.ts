/**
 * The operator console. Only this lazy wrapper is in the viewer's bundle: the console's code, words
 * and styles are a separate chunk fetched when /admin is opened.
 */
import { lazy } from 'react';

export const AdminPage = lazy(() => import('./components/AdminPage.tsx'));
