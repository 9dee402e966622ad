import { normalizeDisplayName } from "../../protocol/parse-client.ts";
import { readStored, writeStored } from "./stored.ts";

/** One nickname for every room: people are asked once, not once per room. */
const NICKNAME_KEY = "edgechat:nickname";

/** The remembered nickname, or null when none was chosen (or what is stored is no longer a valid name). */
export function loadNickname(): string | null {
  const stored = readStored("local", NICKNAME_KEY);
  if (stored === null) return null;
  const result = normalizeDisplayName(stored);
  return result.ok ? result.value : null;
}

export function saveNickname(name: string): void {
  writeStored("local", NICKNAME_KEY, name);
}
