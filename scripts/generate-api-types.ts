/** `npm run api:types`: rewrites the web client's generated wire types from the route schemas. */
import { writeFileSync } from 'node:fs';
import { API_TYPES_FILE, API_TYPES_PATH, generateApiTypes } from './api-types.js';

writeFileSync(API_TYPES_PATH, await generateApiTypes());
console.log(`wrote ${API_TYPES_FILE}`);
