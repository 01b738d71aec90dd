// Random GPP strings made and decoded by IAB's reference library (@iabgpp/cmpapi), one JSON object
// per line: {"gpp": string, "bits": [data bits of each base64 segment, in string order, null for
// uspv1], "decoded": {sectionName: {FieldName: value}}}. Each string carries a random set of the
// sections: tcfeuv2 and the US ones (uspv1, usnat and every state) with random valid values, with
// and without their optional GPC or sensitive-data sub-segments.
// Usage: node gpp_reference.mjs COUNT SEED
import {
  CompressedBase64UrlEncoder, GppModel, RangeEntry, Sections, TraditionalBase64UrlEncoder,
} from '@iabgpp/cmpapi';

import { seeded } from './seeded.mjs';
const [count, seed] = process.argv.slice(2).map(Number);
const { random, int, chance } = seeded(seed);

// Segment bit strings as the encoders receive them, before any padding.
const dataBits = [];
for (const encoder of [TraditionalBase64UrlEncoder.getInstance(), CompressedBase64UrlEncoder.getInstance()]) {
  const encode = encoder.encode.bind(encoder);
  encoder.encode = (bits) => { dataBits.push(bits.length); return encode(bits); };
}
const ids = (max, p) => Array.from({ length: max }, (_, i) => i + 1).filter(() => chance(p));
const flags = (n, p) => Array.from({ length: n }, () => chance(p));
const letters = () => String.fromCharCode(65 + int(0, 25), 65 + int(0, 25));

function fillTcf(model) {
  const set = (field, value) => model.setFieldValue('tcfeuv2', field, value);
  set('CmpId', int(2, 4095));
  set('CmpVersion', int(0, 4095));
  set('ConsentScreen', int(0, 63));
  set('ConsentLanguage', letters());
  set('VendorListVersion', int(1, 4095));
  set('PolicyVersion', int(4, 5));
  set('UseNonStandardStacks', chance(0.2));
  set('SpecialFeatureOptins', flags(12, 0.4));
  set('PurposeConsents', flags(24, 0.5));
  set('PurposeLegitimateInterests', flags(24, 0.4)); // the library clears purposes 1 and 3-6
  set('PurposeOneTreatment', chance(0.2));
  set('PublisherCountryCode', letters());
  const max = chance(0.5) ? int(1, 200) : int(200, 2000);
  const density = max <= 200 ? 0.7 : 0.02; // dense lists stay short: every cut is decoded
  set('VendorConsents', ids(max, density));
  set('VendorLegitimateInterests', ids(max, density / 2));
  set('VendorsDisclosed', ids(max, density));
  set('PublisherRestrictions', Array.from({ length: int(0, 3) },
    () => new RangeEntry(int(1, 24), int(0, 2), [...new Set(ids(max, 0.05).concat([max]))])));
  set('PublisherConsents', flags(24, 0.5));
  set('PublisherLegitimateInterests', flags(24, 0.3));
  const custom = int(0, 12);
  set('NumCustomPurposes', custom);
  set('PublisherCustomConsents', flags(custom, 0.5));
  set('PublisherCustomLegitimateInterests', flags(custom, 0.3));
}

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
  const alone = chance(0.05); // a TCF EU section alone: cuts of it may drop its optional segments
  const chosen = alone ? [] : US.filter(() => chance(0.15));
  const tcf = alone || chance(0.3);
  if (!chosen.length && !tcf) chosen.push(US[i % US.length]);
  if (tcf) fillTcf(model);
  for (const [, name] of chosen) fill(model, name);
  dataBits.length = 0;
  const gpp = model.encode();
  const header = dataBits.pop(); // the header is encoded last, once the section ids are known
  const decoded = new GppModel(gpp).toObject();
  delete decoded.header;
  const bits = [header];
  Object.keys(decoded).forEach((name, n) => {
    const segments = gpp.split('~')[n + 1].split('.').length;
    for (let k = 0; k < segments; k++) bits.push(name === 'uspv1' ? null : dataBits.shift());
  });
  for (const section of Object.values(decoded)) {
    for (const field of ['Created', 'LastUpdated']) if (field in section) section[field] = Date.parse(section[field]);
  }
  out.push(JSON.stringify({ gpp, bits, decoded }));
}
process.stdout.write(out.join('\n') + '\n');
