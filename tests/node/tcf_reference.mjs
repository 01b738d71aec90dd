// Random TC strings made and decoded by IAB's reference library (@iabtechlabtcf/core), one JSON
// object per line: {"tc": string, "bits": [data bits of each segment], "decoded": {...}}.
// Usage: node tcf_reference.mjs COUNT SEED
import { Base64Url, GVL, PurposeRestriction, TCModel, TCString } from '@iabtechlabtcf/core';

import { seeded } from './seeded.mjs';
const [count, seed] = process.argv.slice(2).map(Number);
const { random, int, chance } = seeded(seed);
const some = (ids, p) => ids.filter(() => chance(p));
const range = (lo, hi) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
function pick(lo, hi, p) { // about p of the ids lo..hi, drawn without walking a long range
  if ((hi - lo + 1) * p > 60) return some(range(lo, hi), p);
  const chosen = new Set();
  for (let n = Math.round((hi - lo + 1) * p); n > 0; n--) chosen.add(int(lo, hi));
  return [...chosen].sort((a, b) => a - b);
}
const LANGUAGES = ['EN', 'FR', 'DE', 'ES', 'IT', 'NL', 'PL', 'PT', 'SV', 'FI'];
const letter = () => String.fromCharCode(65 + int(0, 25));

// Segment bit strings as the encoder hands them to Base64Url, before any padding.
const dataBits = [];
const encode = Base64Url.encode.bind(Base64Url);
Base64Url.encode = (bits) => { dataBits.push(bits.length); return encode(bits); };

function names(ids) {
  return Object.fromEntries(ids.map((id) => [id, { id, name: `n${id}`, description: '', illustrations: [] }]));
}

function vendorList() {
  // Vendor ids: sometimes dense (bitfield wins), sometimes sparse and high (ranges win).
  const maxId = chance(0.5) ? int(1, 300) : int(301, 2500);
  const ids = pick(1, maxId, maxId <= 300 ? 0.9 : 0.02);
  if (!ids.length) ids.push(maxId);
  const vendors = {};
  for (const id of ids) {
    const purposes = some(range(1, 11), 0.4);
    const legIntPurposes = some(range(2, 11).filter((p) => p > 6 || p === 2), 0.3)
      .filter((p) => !purposes.includes(p));
    vendors[id] = {
      id, name: `v${id}`, purposes, legIntPurposes,
      flexiblePurposes: [...purposes, ...legIntPurposes].filter(() => chance(0.4)),
      specialPurposes: some([1, 2], 0.3), features: some([1, 2, 3], 0.3),
      specialFeatures: some([1, 2], 0.3), policyUrl: 'https://example.com',
      ...(chance(0.03) ? { deletedDate: '2024-01-01T00:00:00Z' } : {}),
    };
  }
  return {
    gvlSpecificationVersion: 3, vendorListVersion: int(1, 4095), tcfPolicyVersion: int(4, 5),
    lastUpdated: '2025-01-01T00:00:00Z', purposes: names(range(1, 11)),
    specialPurposes: names([1, 2]), features: names([1, 2, 3]), specialFeatures: names([1, 2]),
    stacks: {}, dataCategories: {}, vendors,
  };
}

function model() {
  const list = vendorList();
  const gvl = new GVL(list, { language: LANGUAGES[int(0, LANGUAGES.length - 1)] });
  const tc = new TCModel(gvl);
  const vendorIds = Object.keys(list.vendors).map(Number);
  const maxId = Math.max(...vendorIds);
  tc.cmpId = int(2, 4095);
  tc.cmpVersion = int(0, 4095);
  tc.consentScreen = int(0, 63);
  tc.publisherCountryCode = letter() + letter();
  tc.isServiceSpecific = chance(0.5);
  tc.useNonStandardTexts = chance(0.2);
  tc.purposeOneTreatment = chance(0.2);
  const created = new Date(Date.UTC(2019, 0, 1) + int(0, 7 * 365 * 86400) * 1000 + int(0, 9) * 100);
  tc.created = created;
  tc.lastUpdated = new Date(created.getTime() + int(0, 400 * 86400) * 100);
  tc.specialFeatureOptins.set(some(range(1, 12), 0.4));
  tc.purposeConsents.set(some(range(1, 24), 0.5));
  tc.purposeLegitimateInterests.set(some(range(1, 24), 0.4));
  const density = chance(0.5) ? 0.8 : 0.02;
  tc.vendorConsents.set(pick(1, maxId + int(0, 20), density));
  tc.vendorLegitimateInterests.set(pick(1, maxId, density / 2));
  tc.vendorsDisclosed.set(pick(1, maxId, (maxId <= 300 && chance(0.5)) || chance(0.03) ? 0.9 : 0.02));
  tc.publisherConsents.set(some(range(1, 24), 0.5));
  tc.publisherLegitimateInterests.set(some(range(2, 24).filter((p) => p > 6 || p === 2), 0.4));
  if (chance(0.5)) {
    const custom = int(1, 20);
    tc.publisherCustomConsents.set(some(range(1, custom), 0.5).concat([custom]));
    tc.publisherCustomLegitimateInterests.set(some(range(1, custom), 0.4));
  }
  for (let n = int(0, 6); n > 0; n--) {
    const restriction = new PurposeRestriction(int(1, 11), int(0, 2));
    const from = int(0, vendorIds.length - 1); // a run of vendors, or a few scattered ones
    const chosen = chance(0.5) ? vendorIds.slice(from, from + int(1, 60)) : pick(1, maxId, 0.03);
    for (const id of chosen) tc.publisherRestrictions.add(id, restriction);
  }
  return tc;
}

const ids = (vector) => [...vector.values()].sort((a, b) => a - b);
const vendorSet = (vector) => ({ max_vendor_id: vector.maxId, ids: ids(vector) });

function decoded(tc, segments) {
  const restrictions = [...tc.publisherRestrictions.map.keys()].map((hash) => PurposeRestriction.unHash(hash))
    .map((r) => [r.purposeId, r.restrictionType, tc.publisherRestrictions.getVendors(r)]);
  return {
    version: tc.version, created_ms: tc.created.getTime(), last_updated_ms: tc.lastUpdated.getTime(),
    cmp_id: tc.cmpId, cmp_version: tc.cmpVersion, consent_screen: tc.consentScreen,
    consent_language: tc.consentLanguage, vendor_list_version: tc.vendorListVersion,
    tcf_policy_version: tc.policyVersion, is_service_specific: tc.isServiceSpecific,
    use_non_standard_texts: tc.useNonStandardTexts, special_feature_opt_ins: ids(tc.specialFeatureOptins),
    purposes_consent: ids(tc.purposeConsents), purposes_li_transparency: ids(tc.purposeLegitimateInterests),
    purpose_one_treatment: tc.purposeOneTreatment, publisher_cc: tc.publisherCountryCode,
    vendor_consents: vendorSet(tc.vendorConsents),
    vendor_legitimate_interests: vendorSet(tc.vendorLegitimateInterests),
    publisher_restrictions: restrictions.sort((a, b) => a[0] - b[0] || a[1] - b[1]),
    disclosed_vendors: segments.includes(1) ? vendorSet(tc.vendorsDisclosed) : null,
    publisher_tc: segments.includes(3) ? {
      purposes_consent: ids(tc.publisherConsents),
      purposes_li_transparency: ids(tc.publisherLegitimateInterests),
      num_custom_purposes: tc.numCustomPurposes,
      custom_purposes_consent: ids(tc.publisherCustomConsents),
      custom_purposes_li_transparency: ids(tc.publisherCustomLegitimateInterests),
    } : null,
  };
}

const out = [];
for (let i = 0; i < count; i++) {
  dataBits.length = 0;
  const text = TCString.encode(model(), { isForVendors: chance(0.5) });
  const types = text.split('.').map((s, n) => (n === 0 ? 0 : parseInt(Base64Url.decode(s[0]).slice(0, 3), 2)));
  out.push(JSON.stringify({ tc: text, bits: [...dataBits], decoded: decoded(TCString.decode(text), types) }));
}
process.stdout.write(out.join('\n') + '\n');
