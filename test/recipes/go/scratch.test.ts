import { it } from 'vitest';
import { scanRepo } from '../../../src/repo/scan.js';
it('prints', async () => {
  const r = await scanRepo('/work/main/examples/shop');
  console.log(JSON.stringify(r.services.filter((s) => s.language === 'go'), null, 1));
});
