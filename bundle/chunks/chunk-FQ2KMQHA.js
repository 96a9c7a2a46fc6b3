import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
import{b as t,d as o}from"./chunk-4P5QJJLM.js";function a(e,r){if(r.trim()!=="")switch(e.format){case"probes":o(r,`the ${e.id} input`);break;case"setup-commands":t(r);break;case void 0:break}}export{a};
