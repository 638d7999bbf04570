/*! phota-widget v0.3.1 */
var PhotaWidget=function(t){"use strict";const e="https://api.photalabs.com/v1/phota",n={"X-API-Key":"ea6sp9zBIK7cWFEYliSTXh9vSK066OSbdCGJgK6A5Np","Content-Type":"application/json"};async function o(t,o){const r=await fetch(e+t,{method:o?"POST":"GET",headers:n,body:o?JSON.stringify(o):void 0});if(!r.ok)throw new Error((await r.json()).detail);return r.json()}return t.edit=(t,e)=>o("/edit",{prompt:t,images:e}),t.enhance=t=>o("/enhance",{image:t}),t.profiles=()=>o("/profiles/ids"),t}({});
//# sourceMappingURL=phota-widget.min.js.map
