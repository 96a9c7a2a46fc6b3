import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
import{b as p,c as k,d as x,e as y,f as T}from"./chunk-J2DY4OSU.js";import{q as f}from"./chunk-MBLSPUAP.js";import{a as d}from"./chunk-NEVOO36J.js";import{a as h}from"./chunk-7PZX63SO.js";import{i as g}from"./chunk-API7DJ2O.js";import{readFile as $}from"node:fs/promises";import w from"node:path";var A=2048;async function S(s=d()){return(await $(w.join(s,"prompts","chat","system.md"),"utf8")).trim()}async function I(s){let e,t,n=await f(s).catch(()=>{});return n?.kind==="found"?(e=n.session.scan,t="session"):(e=await g(s.root),t="scan"),{text:p(h(e)).text,source:t}}async function E(s,e,t,n={}){let a=y(n.model),i=await k(n),R=n.system??await S(),c=t.step?s.steps.find(o=>o.id===t.step):void 0,_=[{type:"text",text:t.step?`# Reference page for the step "${t.step}"

${s.pages[t.step]??"(none)"}`:`# Reference pages of every step

${Object.values(s.pages).join(`

---

`)}`,cache_control:{type:"ephemeral"}},{type:"text",text:`# The repository (trace-guide's scan)

${t.repo}`},{type:"text",text:`${c?`The user is at step "${c.id}" \u2014 ${c.title}.

`:""}Question: ${p(e).text}`}],m="",u=x(i);try{let o=i.messages.stream({model:a,max_tokens:A,system:[{type:"text",text:R,cache_control:{type:"ephemeral"}}],messages:[{role:"user",content:_}]},{signal:u.signal});o.on("text",l=>{m+=l,n.onText?.(l)});let r=await o.finalMessage();return{text:m,model:a,stopReason:r.stop_reason??null,usage:{inputTokens:r.usage.input_tokens,outputTokens:r.usage.output_tokens,cacheReadTokens:r.usage.cache_read_input_tokens??0,cacheWriteTokens:r.usage.cache_creation_input_tokens??0}}}catch(o){throw await T(o,a,i,u)}}function K(s){let e=s.usage,t=e.cacheReadTokens||e.cacheWriteTokens?`, cache read ${e.cacheReadTokens} / write ${e.cacheWriteTokens}`:"";return`${s.model}: ${e.inputTokens} input + ${e.outputTokens} output tokens${t}`}export{A as a,S as b,I as c,E as d,K as e};
