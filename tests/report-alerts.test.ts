import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runAov, tempDir } from './helpers.js';

describe('report alerts (#23)', () => {
  it('evaluates an NPS --fail-on on weekly reports: NPS is compared by its own months, not by week labels', () => {
    // The survey's last two complete months are 2024-11 and 2024-12 (the data ends 2024-12-31);
    // NPS rises between them, so a rule on a rise of 10 points must fire (exit 1) whatever --period is.
    for (const period of ['week', 'month']) {
      const dir = path.join(tempDir('aov-alerts-'), 'r');
      const r = runAov(['report', fixture('sample-orders.csv'), '--out', dir, '--period', period, '--nps', fixture('nps_survey.csv'), '--fail-on', 'nps:+10', '--quiet']);
      expect(r.code, `--period ${period}: ${r.stderr}`).toBe(1);
      expect(r.stdout + r.stderr).not.toMatch(/nps:\+10: no previous complete period/);
    }
  });
});
