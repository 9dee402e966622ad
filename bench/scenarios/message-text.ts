/** The text of the i-th benchmark message: about the length of a chat line, different every time. */
export function messageText(i: number): string {
  return `benchmark message ${i}: the quick brown fox jumps over the lazy dog, and then it does it again.`;
}
