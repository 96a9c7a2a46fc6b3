import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
import{a as e,c as o}from"./chunk-HY64RNCL.js";import{AsyncLocalStorage as i}from"node:async_hooks";var r=new i;function c(n,t){return r.run(n,t)}function p(n){let t=r.getStore();t?t(JSON.parse(JSON.stringify(n))):process.stdout.write(`${o(JSON.stringify(n,null,2))}
`)}function f(n){let t=e(n,{multiline:!0});process.stdout.write(t.endsWith(`
`)?t:`${t}
`)}function l(n){process.stderr.write(`${e(n,{multiline:!0})}
`)}export{c as a,p as b,f as c,l as d};
