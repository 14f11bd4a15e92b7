import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, API_TYPES_PATH, generateApiTypes } from '../../scripts/api-types.js';

describe("the web client's generated wire types", () => {
  it('match a fresh generation from the route schemas', async () => {
    const committed = readFileSync(API_TYPES_PATH, 'utf8');
    expect(await generateApiTypes(), `${API_TYPES_FILE} is out of date: run \`npm run api:types\` and commit the result`).toBe(committed);
  });
});
