/** Saved import mappings (column → field), offered again when a file's headers match. */
import type { MappingEntry, SavedMapping } from '../../../shared/contract/contacts';
import type { ContactsScope } from './scope';

export function mappings(c: ContactsScope, headers?: string[]): SavedMapping[] {
  const lower = headers ? new Set(headers.map((h) => h.toLowerCase())) : null;
  return c.segments.mappingRows().map((r) => {
    const mapping = JSON.parse(r.mapping) as MappingEntry[];
    const m: SavedMapping = { id: r.id, name: r.name, mapping, headers: JSON.parse(r.headers) as string[], createdAt: r.created_at };
    if (lower) m.matches = mapping.every((e) => lower.has(e.column.toLowerCase()));
    return m;
  });
}

export function saveMapping(c: ContactsScope, name: string, mapping: MappingEntry[], headers: string[]): SavedMapping {
  c.segments.upsertMapping(name, JSON.stringify(mapping), JSON.stringify(headers), c.now());
  return mappings(c).find((m) => m.name.toLowerCase() === name.toLowerCase())!;
}

export function deleteMapping(c: ContactsScope, id: number): void {
  c.segments.deleteMapping(id);
}
