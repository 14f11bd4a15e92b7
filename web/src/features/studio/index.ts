/**
 * The anchor console. Only this lazy wrapper is in the viewer's bundle: the console's code, words
 * and styles are a separate chunk fetched when /studio is opened.
 */
import { lazy } from 'react';

export const StudioPage = lazy(() => import('./components/StudioPage.tsx'));
