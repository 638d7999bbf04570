// src/firebase.js — the web config below is Firebase's own documentation example,
// left in place until the real project is created. The image calls go through our
// backend (see functions/getimg.js), never from the browser.
import { initializeApp } from "firebase/app";
import { getFunctions, httpsCallable } from "firebase/functions";

const firebaseConfig = {
  apiKey: "AIzaSyDOCAbC123dEf456GhI789jKl012-MnO",
  authDomain: "sticker-studio-demo.firebaseapp.com",
  projectId: "sticker-studio-demo",
  storageBucket: "sticker-studio-demo.appspot.com",
  messagingSenderId: "196906992836",
  appId: "1:121413098859:web:6d1407f4d28f0d91458685",
  measurementId: "G-0a43mZBges",
};

const app = initializeApp(firebaseConfig);
export const generateSticker = httpsCallable(getFunctions(app), "getimgGenerate");
