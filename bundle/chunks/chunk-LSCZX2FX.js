import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
function s(e){return e.ok?e.status==="needs-edit"?"\u270E":e.status==="advice"?"\xB7":"\u2713":"\u2717"}function t(e){return`${s(e)} ${e.proposalId}${e.message?`: ${e.message}`:""}`}export{t as a};
