// The database the Notion double holds by default: the sink's default property mapping
// (docs/notion.md), as Notion describes property definitions.
export const DEFAULT_PROPERTIES = {
  Name: 'title',
  Estimate: 'select',
  'Result ID': 'rich_text',
  Room: 'rich_text',
  Ref: 'rich_text',
  Link: 'url',
  Average: 'number',
  Median: 'number',
  Agreement: 'number',
  Consensus: 'checkbox',
  Votes: 'multi_select',
  Rounds: 'number',
  Finalized: 'date',
  'Result JSON': 'rich_text',
};

/** {name: type} -> Notion's "properties" object of a database / data source. */
export function describeProperties(properties) {
  const out = {};
  let n = 0;
  for (const [name, type] of Object.entries(properties)) {
    n += 1;
    const config = type === 'select' || type === 'multi_select' ? { options: [] } : type === 'number' ? { format: 'number' } : {};
    out[name] = { id: type === 'title' ? 'title' : `p${n}`, name, type, [type]: config };
  }
  return out;
}
