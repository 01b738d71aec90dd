// Random GPP strings made and decoded by IAB's reference library (@iabgpp/cmpapi), one JSON object
// per line: {"gpp": string, "decoded": {sectionName: {FieldName: value}}}. Each string carries a
// random set of the US sections (uspv1, usnat and every state) with random valid values, with and
// without their optional GPC or sensitive-data sub-segments.
// Usage: node gpp_reference.mjs COUNT SEED
import { GppModel, Sections } from '@iabgpp/cmpapi';

const [count, seed] = process.argv.slice(2).map(Number);
let state = seed >>> 0;
function random() { // mulberry32: the same seed gives the same strings
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const chance = (p) => random() < p;

const US = [...Sections.SECTION_ID_NAME_MAP.entries()].filter(([, name]) => name.startsWith('us'));
const INCLUDED = ['GpcSegmentIncluded', 'SensitiveDataConsentSegmentIncluded'];
const FIXED = ['Version', 'MspaVersion', 'GpcSegmentType'];

function fill(model, name) {
  if (name === 'uspv1') {
    for (const field of ['Notice', 'OptOutSale', 'LspaCovered']) model.setFieldValue(name, field, '-YN'[int(0, 2)]);
    return;
  }
  model.setFieldValue(name, name === 'usmd' || name === 'usin' || name === 'usky' || name === 'usri'
    ? 'MspaVersion' : 'Version', 1); // creates the section with its defaults
  for (const [field, value] of Object.entries(model.getSection(name))) {
    if (FIXED.includes(field)) continue;
    if (INCLUDED.includes(field)) model.setFieldValue(name, field, chance(0.5));
    else if (field === 'Gpc') model.setFieldValue(name, field, chance(0.5));
    else if (field === 'MspaCoveredTransaction') model.setFieldValue(name, field, int(1, 2));
    else if (Array.isArray(value)) model.setFieldValue(name, field, value.map(() => int(0, 2)));
    else model.setFieldValue(name, field, int(0, 2));
  }
}

const out = [];
for (let i = 0; i < count; i++) {
  const model = new GppModel();
  const chosen = US.filter(() => chance(0.15));
  if (!chosen.length) chosen.push(US[i % US.length]);
  for (const [, name] of chosen) fill(model, name);
  const gpp = model.encode();
  const decoded = new GppModel(gpp).toObject();
  delete decoded.header;
  out.push(JSON.stringify({ gpp, decoded }));
}
process.stdout.write(out.join('\n') + '\n');
