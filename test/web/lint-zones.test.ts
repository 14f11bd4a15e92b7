/** The lint rule that keeps the web app's features apart really reports what it promises to. */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: fileURLToPath(new URL('../..', import.meta.url)) });

/** The boundary violations ESLint reports for `source` imported from a file at `filePath`. */
async function violations(filePath: string, source: string): Promise<string[]> {
  const code = `import { thing } from '${source}';\nexport const used = thing;\n`;
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('boundaries between the web features', () => {
  const roomsComponent = 'web/src/features/rooms/components/Example.tsx';

  it("reports a feature reaching into another feature's internals, at any depth", async () => {
    expect(await violations(roomsComponent, '../../wallet/api/pay-vip.ts')).toEqual([expect.stringMatching(/index\.ts/)]);
    expect(await violations('web/src/features/rooms/index.ts', '../wallet/components/Example.tsx')).toHaveLength(1);
    expect(await violations('web/src/features/recharge/state/nested/example.ts', '../../../session/api/login.ts')).toHaveLength(1);
  });

  it("allows another feature's public index and the feature's own modules", async () => {
    expect(await violations(roomsComponent, '../../wallet/index.ts')).toEqual([]);
    expect(await violations(roomsComponent, '../api/get-live-info.ts')).toEqual([]);
    expect(await violations(roomsComponent, '../../../shared/ui/Dialog.tsx')).toEqual([]);
  });

  it('keeps shared code free of features and the app shell, and features free of the app shell', async () => {
    expect(await violations('web/src/shared/ui/Example.tsx', '../../features/rooms/index.ts')).toHaveLength(1);
    expect(await violations('web/src/shared/ui/Example.tsx', '../../app/App.tsx')).toHaveLength(1);
    expect(await violations(roomsComponent, '../../../app/Header.tsx')).toHaveLength(1);
  });

  it('lets the app shell use a feature only through its index', async () => {
    expect(await violations('web/src/app/Example.tsx', '../features/rooms/index.ts')).toEqual([]);
    expect(await violations('web/src/app/Example.tsx', '../features/rooms/components/RoomPage.tsx')).toHaveLength(1);
    expect(await violations('web/src/main.tsx', './features/session/components/LoginDialog.tsx')).toHaveLength(1);
  });
});
