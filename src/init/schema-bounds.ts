import { manifestSchemaText } from '../manifest/schema.js';

/**
 * The manifest schema's `maximum` for the field an answer lands in, so that the questionnaire refuses
 * an out-of-range answer when it is given (located in the answers file, or at the prompt) instead of
 * the manifest failing to load at the end. The schema stays the one source of the bounds.
 *
 * `field` is a manifest path with `[]` for "each item": 'traffic.averageRpm', 'providers[].limits.rpm'.
 */
export function schemaMaximum(field: string): number | undefined {
  const node = schemaNode(field);
  return typeof node?.maximum === 'number' ? node.maximum : undefined;
}

interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  maximum?: number;
  type?: string | string[];
}

let root: SchemaNode & { $defs?: Record<string, SchemaNode> };

/** The schema node of a manifest field, following $ref into $defs; undefined when there is none. */
export function schemaNode(field: string): SchemaNode | undefined {
  root ??= JSON.parse(manifestSchemaText()) as typeof root;
  const deref = (n: SchemaNode | undefined): SchemaNode | undefined => {
    let cur = n;
    for (let hops = 0; cur?.$ref !== undefined && hops < 10; hops++) {
      const m = /^#\/\$defs\/([^/]+)$/.exec(cur.$ref);
      cur = m ? root.$defs?.[m[1]] : undefined;
    }
    return cur;
  };
  let node: SchemaNode | undefined = root;
  for (const part of field.split('.')) {
    const each = part.endsWith('[]');
    node = deref(deref(node)?.properties?.[each ? part.slice(0, -2) : part]);
    if (each) node = deref(node?.items);
    if (!node) return undefined;
  }
  return node;
}
