/**
 * Appends `items` to `target` one by one. `target.push(...items)` passes every item as an argument on the stack
 * and throws "Maximum call stack size exceeded" past about 120,000 of them: a 5 MB file can hold 190,000
 * documents.
 */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
