/**
 * Reading and writing Web Storage without letting it break the page. Merely
 * touching `localStorage` throws where the browser blocks storage (cookies
 * disabled, some private modes), and a write throws when the quota is full;
 * the client then works as if nothing had been stored.
 */
export type StorageArea = "local" | "session";

function areaOf(area: StorageArea): Storage {
  return area === "local" ? localStorage : sessionStorage;
}

/** The stored string, or null when absent or when storage is unavailable. */
export function readStored(area: StorageArea, key: string): string | null {
  try {
    return areaOf(area).getItem(key);
  } catch {
    // Blocked storage reads as empty storage.
    return null;
  }
}

/** Stores a string; true when it was stored. */
export function writeStored(area: StorageArea, key: string, value: string): boolean {
  try {
    areaOf(area).setItem(key, value);
    return true;
  } catch {
    // Blocked or full storage: the value lives only as long as the page.
    return false;
  }
}

/** Removes a stored string; storage that is unavailable has nothing to remove. */
export function removeStored(area: StorageArea, key: string): void {
  try {
    areaOf(area).removeItem(key);
  } catch {
    // Blocked storage holds nothing of ours.
  }
}
