/**
 * Field names in `query.fields`, `referencedObjectFields` and sort keys may be JSON pointers into the object
 * (`properties/name`, as IDM 4.0 configs write them); the property they name is the first segment.
 */
export function firstSegment(field: string): string {
  const slash = field.indexOf('/');
  return slash < 0 ? field : field.slice(0, slash);
}
