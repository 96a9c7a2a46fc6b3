import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
var t=class extends Error{kind;hint;constructor(r,i,e,s){super(i,s),this.name="TraceGuideError",this.kind=r,this.hint=e}};function u(n,r,i){return new t("input",n,r,{cause:i})}function o(n,r){return new t("usage",n,r)}function a(n){return n instanceof t?n.hint?`${n.message}
  hint: ${n.hint}`:n.message:n instanceof Error?n.message:String(n)}export{t as a,u as b,o as c,a as d};
