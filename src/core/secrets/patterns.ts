/**
 * Token formats secretlint's recommended preset does not know (and a few it does, for synchronous use). Each pattern is the provider's
 * published prefix and shape, precise enough that ordinary prose never matches. `group` names the
 * capture that is the secret itself when the match also carries its label.
 */
export interface TokenPattern {
  kind: string;
  re: RegExp;
  group?: number;
}

export const TOKEN_PATTERNS: readonly TokenPattern[] = [
  // Header and payload are base64url JSON, so both start with "eyJ".
  { kind: "JSON Web Token", re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { kind: "Stripe secret key", re: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}/g },
  { kind: "Stripe webhook secret", re: /\bwhsec_[0-9A-Za-z]{24,}/g },
  {
    kind: "GCP service-account key id",
    re: /"?private_key_id"?\s*[:=]\s*"?([0-9a-f]{40})\b/g,
    group: 1,
  },
  { kind: "Google API key", re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { kind: "Google OAuth client secret", re: /\bGOCSPX-[0-9A-Za-z_-]{28}/g },
  { kind: "GitLab token", re: /\bgl(?:pat|dt|rt|ptt)-[0-9A-Za-z_-]{20,}/g },
  { kind: "Twilio API key", re: /\bSK[0-9a-f]{32}\b/g },
  { kind: "Mailgun key", re: /\bkey-[0-9a-f]{32}\b/g },
  { kind: "Hugging Face token", re: /\bhf_[A-Za-z0-9]{34,}/g },
  { kind: "DigitalOcean token", re: /\bdo[por]_v1_[a-f0-9]{64}\b/g },
  { kind: "Docker Hub token", re: /\bdckr_pat_[A-Za-z0-9_-]{27,}/g },
  { kind: "PyPI token", re: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g },
  { kind: "Azure storage key", re: /\bAccountKey=([A-Za-z0-9+/]{40,}={0,2})/g, group: 1 },
  // secretlint finds these too; repeated here so the synchronous scan of log lines catches them.
  { kind: "Slack token", re: /\bxox[abeoprs]-[0-9A-Za-z-]{10,}/g },
  { kind: "GitHub token", re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})/g },
  { kind: "AWS access key id", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: "bearer token", re: /\bBearer\s+([A-Za-z0-9._~+/-]{20,}=*)/g, group: 1 },
];

export interface PatternFinding {
  kind: string;
  start: number;
  end: number;
}

/** Every match of the patterns above, as offsets into `text`. Synchronous, so logs can use it too. */
export function tokenFindings(text: string): PatternFinding[] {
  const found: PatternFinding[] = [];
  for (const p of TOKEN_PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      const secret = p.group !== undefined ? m[p.group] : m[0];
      if (!secret) continue;
      const start = m.index + m[0].lastIndexOf(secret);
      found.push({ kind: p.kind, start, end: start + secret.length });
    }
  }
  return found;
}
