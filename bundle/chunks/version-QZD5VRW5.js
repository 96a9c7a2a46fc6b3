import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
import{a}from"./chunk-BARR4DXM.js";import"./chunk-NEVOO36J.js";import"./chunk-KXB7FJAT.js";export{a as readVersion};
