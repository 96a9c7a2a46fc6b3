import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
var e={ok:0,checksFailed:1,notDone:1,usage:2,internal:3};export{e as a};
