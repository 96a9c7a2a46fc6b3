import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
import{a}from"./chunk-P2GLY5JB.js";import"./chunk-XL62K27J.js";import"./chunk-KXB7FJAT.js";export{a as resolveRepoRoot};
