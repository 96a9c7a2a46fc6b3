import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
import{a as r}from"./chunk-NEVOO36J.js";import{readFile as o}from"node:fs/promises";import i from"node:path";async function s(){return JSON.parse(await o(i.join(r(),"package.json"),"utf8")).version}export{s as a};
