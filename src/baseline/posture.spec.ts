import { postureOf } from './posture.js';

const w = { vuln: 0.4, baseline: 0.4, questionnaire: 0.2 };

describe('postureOf', () => {
  it('is the weighted mean of the three parts', () => {
    expect(postureOf({ vuln: 80, baseline: 50, questionnaire: 100 }, w)).toBe(72);
  });
  it('renormalises over the known parts', () => {
    expect(postureOf({ vuln: null, baseline: 50, questionnaire: 100 }, w)).toBe(66.67);
    expect(postureOf({ vuln: 90, baseline: null, questionnaire: null }, w)).toBe(90);
  });
  it('is null when nothing is known or every known part weighs 0', () => {
    expect(postureOf({ vuln: null, baseline: null, questionnaire: null }, w)).toBeNull();
    expect(postureOf({ vuln: 10, baseline: null, questionnaire: null }, { ...w, vuln: 0 })).toBeNull();
  });
});
