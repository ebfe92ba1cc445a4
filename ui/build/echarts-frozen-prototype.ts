// The app runs with Object.prototype frozen (Tauri's `freezePrototype`, against prototype
// pollution). In strict code, assigning a property that a frozen prototype already has
// (`constructor`) throws. ECharts' scheduler copies every name it finds on two class
// prototypes, `constructor` among them, onto plain objects when it loads, so it cannot start.
// This plugin makes that one loop skip `constructor` (a mock needs none). It fails the build
// when the loop is not found, so an ECharts upgrade is looked at, not silently broken.
import type { Plugin } from 'vite';

const FILE = /echarts[\\/]lib[\\/]core[\\/]Scheduler\.js$/;
const LOOP = 'for (var name_1 in Clz.prototype) {';

export function echartsFrozenPrototype(): Plugin {
  return {
    name: 'pulsedesk-echarts-frozen-prototype',
    enforce: 'pre',
    transform(code, id) {
      if (!FILE.test(id)) return null;
      if (!code.includes(LOOP)) {
        this.error(`${id}: the loop this plugin patches has changed; check ECharts under a frozen Object.prototype`);
      }
      return { code: code.replace(LOOP, `${LOOP} if (name_1 === 'constructor') continue;`), map: null };
    },
  };
}
