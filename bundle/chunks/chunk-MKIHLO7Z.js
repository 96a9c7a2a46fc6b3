import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
function r(n){let o=[];for(let i of n){o.push(`\u2717 ${i.cause}${i.service?` (${i.service})`:""} \u2014 confidence ${i.confidence}`,`  ${i.summary}`,"  Evidence:");for(let e of i.evidence)o.push(`    - ${e.file?`${e.file}:${e.line??"?"}: `:""}${e.note}${e.text?`
      ${e.text.trim()}`:""}`);i.previews.length===0&&o.push("  Fix: no automatic change proposed.");for(let e of i.previews)o.push(`  Fix: ${e.proposal.title} [${e.proposal.id}]${e.problem?` (would not apply: ${e.problem})`:""}`),o.push(...e.text.split(`
`).map(t=>`    ${t}`));o.push("")}return o}export{r as a};
