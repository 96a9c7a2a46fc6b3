import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
import{a as f}from"./chunk-FQ2KMQHA.js";import{d}from"./chunk-MBLSPUAP.js";import{c as p}from"./chunk-XL62K27J.js";function k(r,c){let i={};for(let s of c){let a=s.indexOf("=");if(a<=0)throw p(`--set expects id=value, got "${s}"`);let n=s.slice(0,a).trim(),o=s.slice(a+1).trim(),e=d(r,n);if(!e){let t=r.steps.flatMap(u=>u.inputs.map(l=>l.id));throw p(`there is no input "${n}"`,`inputs: ${t.join(", ")}`)}let m=(e.choices??[]).map(t=>t.value);switch(e.kind){case"choice":if(!m.includes(o))throw p(`${n} must be one of ${m.join(", ")}, not "${o}"`);i[n]=o;break;case"multi-choice":{let t=o===""?[]:o.split(",").map(l=>l.trim()),u=t.filter(l=>!m.includes(l));if(u.length>0)throw p(`${n}: ${u.join(", ")} not among ${m.join(", ")}`);i[n]=t;break}case"services":i[n]=o===""?[]:o.split(",").map(t=>t.trim());break;case"number":{let t=Number(o);if(o===""||!Number.isFinite(t))throw p(`${n} must be a number, not "${o}"`);if(e.min!==void 0&&t<e.min||e.max!==void 0&&t>e.max)throw p(`${n} must be between ${e.min??"-\u221E"} and ${e.max??"\u221E"}, not ${t}`);i[n]=t;break}case"text":f(e,o),i[n]=o;break}}return i}var h={edit:"edit",create:"new file",delete:"delete",command:"run",note:"note"};function x(r){return r.length===0?`Nothing to propose: this step looks done already (or does not apply to this repo).
`:r.map((c,i)=>{let{proposal:s}=c,a=s.change,n="path"in a?` ${a.path}`:"",o=`${i+1}. [${s.id}] ${h[a.kind]}${n}: ${s.title}
   why: ${s.why}
`,e=c.problem?`   ! would not apply: ${c.problem}
`:"",m=c.text.trimEnd().split(`
`).map(t=>`   ${t}`).join(`
`);return`${o}${e}${m}
`}).join(`
`)}function y(r){return{...r.proposal,preview:r.text,...r.problem?{problem:r.problem}:{}}}export{k as a,x as b,y as c};
