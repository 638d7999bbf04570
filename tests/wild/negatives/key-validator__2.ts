// lib/keys.ts — client-side hints in the "connect a provider" dialog
export const KEY_PREFIXES: Record<string, string> = {
  openai: "sk-proj-",
  anthropic: "sk-ant-api03-",
  getimg: "sk_",
  getimgLegacy: "key-",
  replicate: "r8_",
  huggingface: "hf_",
  groq: "gsk_",
  xai: "xai-",
};

export function looksLikeGetimgKey(value: string): boolean {
  return /^sk_[A-Za-z0-9]{40,64}$/.test(value) || /^key-[A-Za-z0-9]{80,112}$/.test(value);
}

// ModelsLab keys have no prefix: 60 letters and digits
export const MODELSLAB_KEY_RE = /^[A-Za-z0-9]{60}$/;
