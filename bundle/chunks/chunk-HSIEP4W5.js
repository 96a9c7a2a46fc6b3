import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);
var b=new Set("a an and are as at be but by can do does did for from has have how i if in into is it its not no of on or so that the their then there these they this to too was we what when where which who why will with you your my me our us should would could".split(" "));function S(s){return(s.toLowerCase().match(/[a-z0-9]+/g)??[]).filter(t=>t.length>1&&!b.has(t)).map(t=>t.length>4&&t.endsWith("s")&&!t.endsWith("ss")?t.slice(0,-1):t)}var I=900;function m(s,a){let t=a.split(/\r?\n/),o=(t.find(e=>/^#\s/.test(e))??`# ${s}`).replace(/^#\s+/,"").trim(),r=[],p="",i=[],g=[],c=!1,h=()=>{let e=g.join(`
`).trim();e&&i.push(e),g=[]},n=()=>{h();let e="";for(let f of i)e&&e.length+f.length>I&&(r.push({step:s,page:o,heading:p,text:e}),e=""),e=e?`${e}

${f}`:f;e&&r.push({step:s,page:o,heading:p,text:e}),i=[]};for(let e of t){if(/^\s*(```|~~~)/.test(e)&&(c=!c),!c&&/^#{1,6}\s/.test(e)){n(),p=/^#\s/.test(e)?"":e.replace(/^#+\s+/,"").trim();continue}!c&&e.trim()===""?h():g.push(e)}return n(),r}function x(s){return Object.entries(s).flatMap(([a,t])=>m(a,t))}function k(s,a,t=3){let o=[...new Set(S(a))];if(o.length===0||s.length===0)return[];let r=s.map(n=>S(`${n.heading} ${n.heading} ${n.text}`)),p=r.reduce((n,e)=>n+e.length,0)/r.length||1,i=new Map;for(let n of r)for(let e of new Set(n))i.set(e,(i.get(e)??0)+1);let g=1.2,c=.75;return s.map((n,e)=>{let f=r[e],d=new Map;for(let l of f)d.set(l,(d.get(l)??0)+1);let P=0;for(let l of o){let u=d.get(l)??0;if(u===0)continue;let w=i.get(l)??0,y=Math.log(1+(r.length-w+.5)/(w+.5));P+=y*u*(g+1)/(u+g*(1-c+c*f.length/p))}return{...n,score:P}}).filter(n=>n.score>0).sort((n,e)=>e.score-n.score).slice(0,t)}function R(s,a,t={}){let o=t.step?s.pages[t.step]:void 0,r=t.step&&o!==void 0?m(t.step,o):x(s.pages);return{question:a,...t.step?{step:t.step}:{},passages:k(r,a,t.limit??3)}}var $="Set ANTHROPIC_API_KEY for a fuller answer from Claude about your repository.";function j(s){return s.passages.length===0?`No passage of the reference pages matches "${s.question}". Try other words, or another --step.

${$}
`:`From the reference pages (offline):

${s.passages.map(t=>`\u2500\u2500 ${t.page}${t.heading?` \u203A ${t.heading}`:""}

${t.text}`).join(`

`)}

${$}
`}export{R as a,$ as b,j as c};
