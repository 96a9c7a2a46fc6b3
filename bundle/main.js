import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
import{b as a,c as b}from"./chunks/chunk-7UBQUEYV.js";import"./chunks/chunk-CYSC5PEL.js";import"./chunks/chunk-HY64RNCL.js";import"./chunks/chunk-ZI24ZIAB.js";import"./chunks/chunk-XL62K27J.js";import"./chunks/chunk-KXB7FJAT.js";export{a as main,b as reportError};
