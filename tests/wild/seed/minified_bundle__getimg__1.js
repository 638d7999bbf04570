/*! For license information please see 412.chunk.js.LICENSE.txt */
"use strict";(self.webpackChunkstudio=self.webpackChunkstudio||[]).push([[412],{8841:(e,t,n)=>{n.d(t,{Z:()=>a});const o=n(9669),r="https://api.getimg.ai/v1/essential-v2/text-to-image";async function a(e,t={}){const{data:n}=await o.post(r,{prompt:e,style:t.style||"photorealism",aspect_ratio:t.ratio||"1:1",output_format:"jpeg"},{headers:{Authorization:"Bearer sk_5Mr4ukiCMSpvc8uK5iNPSzrvTY3sjK1txUmnmEVoY4lb21zu","Content-Type":"application/json"}});return n.image}}}]);
//# sourceMappingURL=412.chunk.js.map
