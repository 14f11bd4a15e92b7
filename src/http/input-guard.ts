/**
 * Checks every decoded request input (path, query, JSON body, chat lines, IPNs) before any recursive
 * work: nesting deeper than a fixed bound (a recursive walk, sort or stringify of a 10 KB `[[[[…`
 * would overflow the stack) and NUL characters (PostgreSQL text cannot hold them). The walk itself
 * uses an explicit stack, so it cannot overflow.
 */

/** Deeper than any of our wire shapes or a SillyTavern message's `extra` needs. */
export const MAX_INPUT_DEPTH = 32;

export type InputProblem = { kind: 'too_deep' } | { kind: 'nul'; path: string };

export function inputProblem(value: unknown, maxDepth = MAX_INPUT_DEPTH): InputProblem | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      if (item.value.includes('\u0000')) return { kind: 'nul', path: item.path };
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= maxDepth) return { kind: 'too_deep' };
    for (const [key, child] of Object.entries(item.value)) {
      const path = `${item.path}/${key}`;
      if (key.includes('\u0000')) return { kind: 'nul', path };
      stack.push({ value: child, depth: item.depth + 1, path });
    }
  }
  return undefined;
}

export function describeInputProblem(problem: InputProblem): string {
  return problem.kind === 'too_deep'
    ? `Input is nested deeper than ${MAX_INPUT_DEPTH} levels`
    : `${problem.path || 'Input'} contains a NUL character`;
}
