import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

/**
 * Meta's official OpenAPI spec, an unmodified copy kept in the repository (MIT; see the LICENSE and
 * PROVENANCE.md beside it). Tests never read outside the repository (docs/architecture.md).
 */
export const OPENAPI_SPEC_FILE = path.resolve(
  import.meta.dirname,
  '..',
  'fixtures',
  'meta-whatsapp-openapi',
  'business-messaging-api_v23.0.yaml',
);

/**
 * Known defects of Meta's business-messaging-api_v23.0.yaml that would reject
 * requests Meta itself documents and accepts. Each is patched here, explicitly and narrowly;
 * everything else in the spec is enforced as written.
 */
export const SPEC_PATCHES = [
  'TemplateComponent/ButtonComponent index pattern ^[2-6, 11-14]$ → ^[0-9]$ (Meta: "position index of the button (0-9)")',
] as const;

function patchDefects(schemas: Record<string, Json>): void {
  const fixIndex = (s: Json | undefined) => {
    const props = s?.properties as Record<string, Json> | undefined;
    if (props?.index && typeof props.index.pattern === 'string') props.index.pattern = '^[0-9]$';
  };
  fixIndex(schemas.TemplateComponent);
  for (const part of (schemas.ButtonComponent?.allOf as Json[] | undefined) ?? []) fixIndex(part);
}

/**
 * OpenAPI's `discriminator` is not JSON Schema: Ajv would ignore it and never look inside
 * `parameters` items. For each schema S with a discriminator mapping, build S__dispatch =
 * allOf[S, if type=v then mapping[v] …] and point every $ref to S at it — except the refs inside
 * the mapped schemas' own allOf (they extend the base S; dispatching there would recurse).
 */
function applyDiscriminators(schemas: Record<string, Json>): void {
  const dispatchers = new Map<string, string>();
  const baseRefs = new Set<Json>();
  for (const [name, schema] of Object.entries(schemas)) {
    const disc = schema.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
    if (!disc?.mapping || schema.oneOf || schema.anyOf) continue;
    const prop = disc.propertyName;
    const branches = Object.entries(disc.mapping).map(([value, ref]) => ({
      if: { properties: { [prop]: { const: value } }, required: [prop] },
      then: { $ref: ref },
    }));
    schemas[`${name}__dispatch`] = { allOf: [{ $ref: `#/components/schemas/${name}` }, ...branches] };
    dispatchers.set(`#/components/schemas/${name}`, `#/components/schemas/${name}__dispatch`);
    for (const ref of Object.values(disc.mapping)) {
      const target = schemas[ref.split('/').pop()!];
      for (const part of (target?.allOf as Json[] | undefined) ?? []) if (part.$ref === `#/components/schemas/${name}`) baseRefs.add(part);
    }
  }
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const obj = node as Json;
    if (typeof obj.$ref === 'string' && dispatchers.has(obj.$ref) && !baseRefs.has(obj)) obj.$ref = dispatchers.get(obj.$ref);
    for (const [k, v] of Object.entries(obj)) if (k !== 'discriminator') walk(v);
  };
  for (const [name, schema] of Object.entries(schemas)) if (!name.endsWith('__dispatch')) walk(schema);
}

export interface SpecValidator {
  /** Validates a value against components/schemas/NAME; returns Ajv's error list (empty = valid). */
  validate(schemaName: string, value: unknown): string[];
  spec: Json;
}

let cached: SpecValidator | null = null;

/** Loads Meta's official OpenAPI spec (YAML) and compiles its component schemas with Ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses). */
export function loadSpecValidator(): SpecValidator {
  if (cached) return cached;
  const spec = parse(fs.readFileSync(OPENAPI_SPEC_FILE, 'utf8')) as Json;
  if (!String(spec.openapi ?? '').startsWith('3.1')) throw new Error(`Expected an OpenAPI 3.1 spec, got ${String(spec.openapi)}`);
  const schemas = (spec.components as { schemas: Record<string, Json> }).schemas;
  patchDefects(schemas);
  applyDiscriminators(schemas);
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'meta-openapi', components: { schemas } });
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  cached = {
    spec,
    validate(name, value) {
      if (!schemas[name]) throw new Error(`The spec has no schema ${name}`);
      let fn = compiled.get(name);
      if (!fn) {
        fn = ajv.getSchema(`meta-openapi#/components/schemas/${schemas[`${name}__dispatch`] ? `${name}__dispatch` : name}`)!;
        compiled.set(name, fn);
      }
      return fn(value) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    },
  };
  return cached;
}
