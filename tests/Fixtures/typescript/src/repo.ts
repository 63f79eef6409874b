export interface Repository {
  find(id: string): string | undefined;
}

/** Keeps items in memory. */
export class MemoryRepository implements Repository {
  private items = new Map<string, string>();

  find(id: string): string | undefined {
    return this.items.get(normalize(id));
  }
}

export function normalize(id: string): string {
  return id.trim();
}
