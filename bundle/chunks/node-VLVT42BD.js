import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-43FMO546.js";import"./chunk-KXB7FJAT.js";export{a as child_process,b as crypto,c as fs,d as os,e as path,f as stream,g as util};
